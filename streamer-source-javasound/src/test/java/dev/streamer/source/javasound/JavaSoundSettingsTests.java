package dev.streamer.source.javasound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.SourceProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JavaSoundSettingsTests {

    @Test
    void defaultsAreTheSystemDeviceWithA30msBuffer() {
        assertThat(JavaSoundSettings.DEFAULTS).isEqualTo(new JavaSoundSettings("", 30));
        assertThat(JavaSoundSettings.DEFAULTS.wantsDefaultDevice()).isTrue();
        assertThat(new JavaSoundSettings("plughw:1", 10).wantsDefaultDevice()).isFalse();
        assertThat(new JavaSoundSettings("default", 500).bufferMillis()).isEqualTo(500);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 9, 501, 10_000})
    void aBufferOutside10To500msIsRejectedWithTheValidRange(int millis) {
        assertThatThrownBy(() -> new JavaSoundSettings("", millis))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bufferMillis " + millis + " is outside 10..500 (the capture device buffer in milliseconds)");
    }

    @Test
    void aMissingDeviceIsRejectedAndSaysHowToAskForTheDefault() {
        assertThatThrownBy(() -> new JavaSoundSettings(null, 30))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("device is required: \"\" for the system default capture device");
    }

    @Test
    void aDeviceWithSurroundingSpacesIsRejected() {
        assertThatThrownBy(() -> new JavaSoundSettings(" plughw:1", 30))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("device \" plughw:1\" has leading or trailing spaces");
    }

    @Test
    void theProviderIsFoundByServiceLoaderAndOpensNothingWhenCreating() {
        getClass().getModule().addUses(SourceProvider.class); // the plugin itself declares no `uses`
        SourceProvider<?> found = ServiceLoader.load(SourceProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("javasound"))
                .findFirst().orElseThrow();

        assertThat(found).isInstanceOf(JavaSoundSourceProvider.class);
        JavaSoundSourceProvider provider = (JavaSoundSourceProvider) found;
        assertThat(provider.settingsType()).isEqualTo(JavaSoundSettings.class);
        assertThat(provider.defaultSettings()).isEqualTo(JavaSoundSettings.DEFAULTS);
        assertThat(provider.description()).isNotBlank();
        try (var source = provider.create(new JavaSoundSettings("plughw:7", 30), PluginContext.system("test"))) {
            assertThat(source.describe()).isEqualTo("javasound: device \"plughw:7\" (not open)");
            assertThat(source.overrunFrames()).isZero();
        }
    }

    @Test
    void theModuleExportsNothingAndOpensTheSettingsPackage() {
        Module module = JavaSoundSettings.class.getModule();
        assertThat(module.getName()).isEqualTo("dev.streamer.source.javasound");
        assertThat(module.getDescriptor().exports()).isEmpty();
        assertThat(module.getDescriptor().opens()).singleElement()
                .satisfies(o -> assertThat(o.source()).isEqualTo("dev.streamer.source.javasound"));
    }
}
