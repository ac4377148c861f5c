package dev.streamer.source.stdin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.SourceProvider;
import java.lang.module.ModuleDescriptor;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StdinSettingsTests {

    @Test
    void theDefaultsAreParecsRawFormat() {
        assertThat(StdinSettings.DEFAULTS).isEqualTo(new StdinSettings(48_000, 16, 2, "s", false, 0));
        assertThat(StdinSettings.DEFAULTS.format().toString()).isEqualTo("48000 Hz s16le stereo");
    }

    @ParameterizedTest(name = "{0} {1} {2} {3} {4} {5}")
    @CsvSource(delimiter = '|', value = {
        "0      | 16 | 2  | s | false | 0 | rate 0 is outside 1..768000 (frames per second on standard input; it must equal the wire rate)",
        "800000 | 16 | 2  | s | false | 0 | rate 800000 is outside 1..768000 (frames per second on standard input; it must equal the wire rate)",
        "48000  | 8  | 2  | s | false | 0 | bits 8 is not valid; valid: 16, 24, 32 (significant bits per sample)",
        "48000  | 20 | 2  | s | false | 0 | bits 20 is not valid; valid: 16, 24, 32 (significant bits per sample)",
        "48000  | 16 | 0  | s | false | 0 | channels 0 is outside 1..32 (samples per frame)",
        "48000  | 16 | 33 | s | false | 0 | channels 33 is outside 1..32 (samples per frame)",
        "48000  | 16 | 2  | S | false | 0 | encoding \"S\" is not valid; valid: s (signed), u (unsigned), f (32-bit float)",
        "48000  | 16 | 2  | f | false | 0 | encoding f (float) needs bits 32, not 16",
        "48000  | 24 | 2  | s | false | 2 | bytesPerSample 2 cannot hold 24-bit samples; valid: 0 (packed, 3 bytes) or 3..4",
        "48000  | 32 | 2  | s | false | 5 | bytesPerSample 5 cannot hold 32-bit samples; valid: 0 (packed, 4 bytes) or 4",
    })
    void aBadValueIsRejectedNamingTheSettingAndWhatIsValid(int rate, int bits, int channels, String encoding, boolean bigEndian,
                                                           int bytesPerSample, String message) {
        assertThatThrownBy(() -> new StdinSettings(rate, bits, channels, encoding, bigEndian, bytesPerSample))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void aMissingEncodingSaysItIsRequired() {
        assertThatThrownBy(() -> new StdinSettings(48_000, 16, 2, null, false, 0))
                .hasMessage("encoding is required; valid: s (signed), u (unsigned), f (32-bit float)");
    }

    @Test
    void theProviderIsFoundByServiceLoaderAndTouchesNothingWhenCreating() {
        getClass().getModule().addUses(SourceProvider.class);
        SourceProvider<?> found = ServiceLoader.load(SourceProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("stdin")).findFirst().orElseThrow();
        assertThat(found).isInstanceOf(StdinSourceProvider.class);
        StdinSourceProvider provider = (StdinSourceProvider) found;
        assertThat(provider.settingsType()).isEqualTo(StdinSettings.class);
        assertThat(provider.defaultSettings()).isEqualTo(StdinSettings.DEFAULTS);
        assertThat(provider.devices()).singleElement().satisfies(d -> assertThat(d.name()).isEqualTo("stdin"));
        try (var source = provider.create(StdinSettings.DEFAULTS, PluginContext.system("test"))) {
            assertThat(source.describe()).isEqualTo("stdin: raw 48000 Hz s16le stereo");
        }
    }

    @Test
    void theModuleNeedsOnlyTheApiExportsNothingAndOpensTheSettingsPackage() {
        ModuleDescriptor module = StdinSettings.class.getModule().getDescriptor();
        assertThat(module.name()).isEqualTo("dev.streamer.source.stdin");
        assertThat(module.requires()).map(ModuleDescriptor.Requires::name).containsExactlyInAnyOrder("java.base", "dev.streamer.api");
        assertThat(module.exports()).isEmpty();
        assertThat(module.opens()).singleElement().satisfies(o -> assertThat(o.source()).isEqualTo("dev.streamer.source.stdin"));
        assertThat(module.provides()).singleElement().satisfies(p -> assertThat(p.providers())
                .containsExactly(StdinSourceProvider.class.getName()));
    }
}
