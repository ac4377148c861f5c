package dev.streamer.source.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.SourceProvider;
import java.lang.module.ModuleDescriptor;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SignalSettingsTests {

    @Test
    void theDefaultsAreA440HzSineAtMinus12DbfsForever() {
        assertThat(SignalSettings.DEFAULTS).isEqualTo(new SignalSettings("sine", 440, 20_000, 10, -12, 500, 1, 0));
        assertThat(SignalSettings.DEFAULTS.kind()).isEqualTo(Waveform.SINE);
        assertThat(SignalSettings.DEFAULTS.amplitude()).isEqualTo(Math.pow(10, -0.6));
    }

    @Test
    void everyWaveformIsAccepted() {
        for (String waveform : new String[] {"sine", "sweep", "white", "pink", "silence", "clicks"}) {
            assertThat(new SignalSettings(waveform, 1, 1, 0.1, -120, 2, Long.MIN_VALUE, 0.001).kind().label()).isEqualTo(waveform);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "waveform saw          | waveform \"saw\" is not known; valid: sine, sweep, white, pink, silence, clicks",
        "waveform SINE         | waveform \"SINE\" is not known; valid: sine, sweep, white, pink, silence, clicks",
        "frequencyHz 0         | frequencyHz 0 is outside 1..384000 (the tone frequency, or where a sweep starts; at most half the sample rate)",
        "frequencyHz NaN       | frequencyHz NaN is outside 1..384000 (the tone frequency, or where a sweep starts; at most half the sample rate)",
        "sweepToHz 400000      | sweepToHz 400000 is outside 1..384000 (where a sweep ends; capped at half the sample rate)",
        "sweepSeconds 0        | sweepSeconds 0 is outside 0.1..3600 (the length of one sweep)",
        "levelDbfs 0.5         | levelDbfs 0.5 is outside -120..0 (the peak level in dB below full scale)",
        "levelDbfs -121        | levelDbfs -121 is outside -120..0 (the peak level in dB below full scale)",
        "clickIntervalMillis 1 | clickIntervalMillis 1 is outside 2..60000 (the time from one 1 ms click to the next)",
        "durationSeconds -1    | durationSeconds -1 is not valid; 0 plays forever, a positive number of seconds ends the source after that much audio",
        "durationSeconds Infinity | durationSeconds Infinity is not valid; 0 plays forever, a positive number of seconds ends the source after that much audio",
    })
    void aBadValueIsRejectedNamingTheSettingAndWhatIsValid(String setting, String message) {
        String[] nameValue = setting.split(" ");
        assertThatThrownBy(() -> with(nameValue[0], nameValue[1])).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void aMissingWaveformSaysItIsRequired() {
        assertThatThrownBy(() -> new SignalSettings(null, 440, 20_000, 10, -12, 500, 1, 0))
                .hasMessage("waveform is required; valid: sine, sweep, white, pink, silence, clicks");
    }

    private static SignalSettings with(String name, String value) {
        SignalSettings d = SignalSettings.DEFAULTS;
        return switch (name) {
            case "waveform" -> new SignalSettings(value, d.frequencyHz(), d.sweepToHz(), d.sweepSeconds(), d.levelDbfs(),
                    d.clickIntervalMillis(), d.seed(), d.durationSeconds());
            case "frequencyHz" -> new SignalSettings(d.waveform(), Double.parseDouble(value), d.sweepToHz(), d.sweepSeconds(),
                    d.levelDbfs(), d.clickIntervalMillis(), d.seed(), d.durationSeconds());
            case "sweepToHz" -> new SignalSettings(d.waveform(), d.frequencyHz(), Double.parseDouble(value), d.sweepSeconds(),
                    d.levelDbfs(), d.clickIntervalMillis(), d.seed(), d.durationSeconds());
            case "sweepSeconds" -> new SignalSettings(d.waveform(), d.frequencyHz(), d.sweepToHz(), Double.parseDouble(value),
                    d.levelDbfs(), d.clickIntervalMillis(), d.seed(), d.durationSeconds());
            case "levelDbfs" -> new SignalSettings(d.waveform(), d.frequencyHz(), d.sweepToHz(), d.sweepSeconds(),
                    Double.parseDouble(value), d.clickIntervalMillis(), d.seed(), d.durationSeconds());
            case "clickIntervalMillis" -> new SignalSettings(d.waveform(), d.frequencyHz(), d.sweepToHz(), d.sweepSeconds(),
                    d.levelDbfs(), Integer.parseInt(value), d.seed(), d.durationSeconds());
            case "durationSeconds" -> new SignalSettings(d.waveform(), d.frequencyHz(), d.sweepToHz(), d.sweepSeconds(),
                    d.levelDbfs(), d.clickIntervalMillis(), d.seed(), Double.parseDouble(value));
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Test
    void theProviderIsFoundByServiceLoaderAndOpensNothingWhenCreating() {
        getClass().getModule().addUses(SourceProvider.class); // the plugin itself declares no `uses`
        SourceProvider<?> found = ServiceLoader.load(SourceProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("signal"))
                .findFirst().orElseThrow();

        assertThat(found).isInstanceOf(SignalSourceProvider.class);
        SignalSourceProvider provider = (SignalSourceProvider) found;
        assertThat(provider.settingsType()).isEqualTo(SignalSettings.class);
        assertThat(provider.defaultSettings()).isEqualTo(SignalSettings.DEFAULTS);
        assertThat(provider.description()).isNotBlank();
        assertThat(provider.devices()).singleElement().satisfies(device -> {
            assertThat(device.isDefault()).isTrue();
            assertThat(device.formats()).containsExactly("any rate, s16/24/32le, 1-2 ch");
        });
        try (var source = provider.create(SignalSettings.DEFAULTS, PluginContext.system("test"))) {
            assertThat(source.describe()).isEqualTo("signal: sine 440 Hz at -12 dBFS");
        }
    }

    @Test
    void theModuleNeedsOnlyTheApiExportsNothingAndOpensTheSettingsPackage() {
        ModuleDescriptor module = SignalSettings.class.getModule().getDescriptor();
        assertThat(module.name()).isEqualTo("dev.streamer.source.signal");
        assertThat(module.requires()).map(ModuleDescriptor.Requires::name).containsExactlyInAnyOrder("java.base", "dev.streamer.api");
        assertThat(module.exports()).isEmpty();
        assertThat(module.opens()).singleElement().satisfies(o -> assertThat(o.source()).isEqualTo("dev.streamer.source.signal"));
        assertThat(module.provides()).singleElement().satisfies(p -> {
            assertThat(p.service()).isEqualTo("dev.streamer.api.spi.SourceProvider");
            assertThat(p.providers()).containsExactly(SignalSourceProvider.class.getName());
        });
    }
}
