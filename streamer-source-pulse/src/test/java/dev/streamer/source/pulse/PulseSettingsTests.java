package dev.streamer.source.pulse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.SampleEncoding;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceException;
import dev.streamer.api.spi.SourceProvider;
import dev.streamer.source.pulse.PulseConnection.SourceEntry;
import java.lang.module.ModuleDescriptor;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Settings, provider, module and the parts of the source that need no server. */
class PulseSettingsTests {

    @Test
    void theDefaultsAreTheDefaultSourceOfTheDefaultServerInFragmentsOfOnePeriod() {
        assertThat(PulseSettings.DEFAULTS).isEqualTo(new PulseSettings("default", "", 0, 2_000));
        assertThat(PulseSettings.DEFAULTS.wantsDefaultDevice()).isTrue();
        assertThat(new PulseSettings("", "", 0, 2_000).wantsDefaultDevice()).isTrue();
        assertThat(new PulseSettings("ci_sink.monitor", "unix:/run/pulse/native", 1_000, 100).wantsDefaultDevice()).isFalse();
        assertThat(new PulseSettings("x", "tcp:localhost:4713", 0, 60_000).connectTimeoutMillis()).isEqualTo(60_000);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "fragmentMillis -1         | fragmentMillis -1 is outside 0..1000 (how much audio the server sends at a time; 0 for half a read period)",
        "fragmentMillis 1001       | fragmentMillis 1001 is outside 0..1000 (how much audio the server sends at a time; 0 for half a read period)",
        "connectTimeoutMillis 99   | connectTimeoutMillis 99 is outside 100..60000 (how long to wait for the PulseAudio server and the stream, in milliseconds)",
        "connectTimeoutMillis 60001 | connectTimeoutMillis 60001 is outside 100..60000 (how long to wait for the PulseAudio server and the stream, in milliseconds)",
    })
    void aBadNumberIsRejectedNamingTheSettingAndWhatIsValid(String setting, String message) {
        String[] nameValue = setting.split(" ");
        int value = Integer.parseInt(nameValue[1]);
        PulseSettings d = PulseSettings.DEFAULTS;
        assertThatThrownBy(() -> {
            if (nameValue[0].equals("fragmentMillis")) {
                new PulseSettings(d.device(), d.server(), value, d.connectTimeoutMillis());
            } else {
                new PulseSettings(d.device(), d.server(), d.fragmentMillis(), value);
            }
        }).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void aBadDeviceOrServerIsRejectedNamingTheSettingAndWhatIsValid() {
        assertThatThrownBy(() -> new PulseSettings(null, "", 0, 2_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("device is required: \"default\" for the server's default source, or a source name as "
                        + "`streamer devices --source pulse` lists it");
        assertThatThrownBy(() -> new PulseSettings(" ci_sink.monitor", "", 0, 2_000))
                .hasMessage("device \" ci_sink.monitor\" has leading or trailing spaces; write the source name without them");
        assertThatThrownBy(() -> new PulseSettings("default", null, 0, 2_000))
                .hasMessage("server is required: \"\" for libpulse's default server, or a server string such as "
                        + "unix:/run/user/1000/pulse/native");
        assertThatThrownBy(() -> new PulseSettings("default", "unix:/x ", 0, 2_000))
                .hasMessage("server \"unix:/x \" has leading or trailing spaces; write the server string without them, "
                        + "or \"\" for libpulse's default server");
    }

    @Test
    void theProviderIsFoundByServiceLoaderAndOpensNothingWhenCreating() {
        getClass().getModule().addUses(SourceProvider.class); // the plugin itself declares no `uses`
        SourceProvider<?> found = ServiceLoader.load(SourceProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("pulse"))
                .findFirst().orElseThrow();

        assertThat(found).isInstanceOf(PulseSourceProvider.class);
        PulseSourceProvider provider = (PulseSourceProvider) found;
        assertThat(provider.settingsType()).isEqualTo(PulseSettings.class);
        assertThat(provider.defaultSettings()).isEqualTo(PulseSettings.DEFAULTS);
        assertThat(provider.description()).isEqualTo("Capture from a PulseAudio or PipeWire source (a monitor gives what you hear)");
        try (Source source = provider.create(PulseSettings.DEFAULTS, PluginContext.system("test"))) {
            assertThat(source.describe()).isEqualTo("pulse: the default source (not open)");
            assertThat(source.overrunFrames()).isZero();
        }
        try (Source source = provider.create(new PulseSettings("mic", "", 0, 2_000), PluginContext.system("test"))) {
            assertThat(source.describe()).isEqualTo("pulse: source \"mic\" (not open)");
        }
    }

    @Test
    void theModuleNeedsOnlyTheApiExportsNothingAndOpensTheSettingsPackage() {
        ModuleDescriptor module = PulseSettings.class.getModule().getDescriptor();
        assertThat(module.name()).isEqualTo("dev.streamer.source.pulse");
        assertThat(module.requires()).map(ModuleDescriptor.Requires::name).containsExactlyInAnyOrder("java.base", "dev.streamer.api");
        assertThat(module.exports()).isEmpty();
        assertThat(module.opens()).singleElement().satisfies(o -> assertThat(o.source()).isEqualTo("dev.streamer.source.pulse"));
        assertThat(module.provides()).singleElement().satisfies(p -> {
            assertThat(p.service()).isEqualTo("dev.streamer.api.spi.SourceProvider");
            assertThat(p.providers()).containsExactly(PulseSourceProvider.class.getName());
        });
    }

    @Test
    void aSourceIsSelectedByItsNameOrAUniquePartOfItIgnoringCase() throws SourceException {
        List<SourceEntry> sources = List.of(entry("ci_sink.monitor"), entry("ci_sink_keepalive.monitor"), entry("alsa_input.usb-mic"),
                entry("Mic"));

        assertThat(PulseSource.select(sources, "ci_sink.monitor")).isEqualTo("ci_sink.monitor");
        assertThat(PulseSource.select(sources, "CI_SINK.MONITOR")).isEqualTo("ci_sink.monitor");
        assertThat(PulseSource.select(sources, "keepalive")).isEqualTo("ci_sink_keepalive.monitor");
        assertThat(PulseSource.select(sources, "Mic")).isEqualTo("Mic"); // exact wins over the part of "usb-mic"
        assertThatThrownBy(() -> PulseSource.select(sources, "ci_sink"))
                .isInstanceOf(SourceException.class)
                .hasMessage("\"ci_sink\" matches 2 PulseAudio sources: \"ci_sink.monitor\", \"ci_sink_keepalive.monitor\"."
                        + " Give a longer part of the name.");
        assertThatThrownBy(() -> PulseSource.select(sources, "hdmi"))
                .hasMessage("No PulseAudio source matches \"hdmi\". Sources: \"ci_sink.monitor\", \"ci_sink_keepalive.monitor\","
                        + " \"alsa_input.usb-mic\", \"Mic\" (streamer devices --source pulse describes them).");
        assertThatThrownBy(() -> PulseSource.select(List.of(), "hdmi"))
                .hasMessageStartingWith("No PulseAudio source matches \"hdmi\". Sources: none");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "s16le stereo,      2, 16, 2, SIGNED,   false, s16le",
        "s16be mono,        1, 16, 2, SIGNED,   true,  s16be",
        "packed s24le,      2, 24, 3, SIGNED,   false, s24le",
        "s24in32le,         2, 24, 4, SIGNED,   false, s24-32le",
        "s32le,             2, 32, 4, SIGNED,   false, s32le",
        "float32le,         2, 32, 4, FLOAT,    false, float32le",
        "u8,                2, 8,  1, UNSIGNED, false, u8",
    })
    void pulseAudioDeliversTheWireFormatItselfWhenItHasIt(String label, int channels, int bits, int bytes, SampleEncoding encoding,
                                                          boolean bigEndian, String pulseName) {
        PcmFormat wire = new PcmFormat(48_000, channels, bits, bytes, encoding, bigEndian);
        assertThat(LibPulse.sampleFormatName(LibPulse.sampleFormat(wire))).isEqualTo(pulseName);
        assertThat(PulseSource.deliverable(wire)).isEqualTo(wire);
    }

    @Test
    void aLayoutPulseAudioLacksComesAsS16AtTheSameRateAndChannels() {
        PcmFormat signed8 = new PcmFormat(44_100, 3, 8, 1, SampleEncoding.SIGNED, false);
        PcmFormat unsigned16 = new PcmFormat(22_050, 1, 16, 2, SampleEncoding.UNSIGNED, false);
        assertThat(LibPulse.sampleFormat(signed8)).isEqualTo(-1);
        assertThat(PulseSource.deliverable(signed8)).isEqualTo(PcmFormat.wire(44_100, 16, 3));
        assertThat(PulseSource.deliverable(unsigned16)).isEqualTo(PcmFormat.wire(22_050, 16, 1));
    }

    @Test
    void aMonitorSaysWhichSinkItRecords() {
        assertThat(PulseSourceProvider.description(new SourceEntry("ci_sink.monitor", "Monitor of Null Output", 3, 48_000, 2)))
                .isEqualTo("Monitor of Null Output (records what ci_sink plays)");
        assertThat(PulseSourceProvider.description(new SourceEntry("hdmi.monitor", "HDMI", 3, 48_000, 2)))
                .isEqualTo("HDMI, monitor of hdmi (records what hdmi plays)");
        assertThat(PulseSourceProvider.description(new SourceEntry("alsa_input.mic", "Built-in Audio Analog Stereo", 3, 44_100, 2)))
                .isEqualTo("Built-in Audio Analog Stereo");
        assertThat(new SourceEntry("alsa_input.mic", "", 9, 44_100, 1).nativeFormat()).isEqualTo("44100 Hz, s24le, 1 ch");
    }

    @Test
    void closeBeforeOpenIsHarmlessAndOpenThenSaysItWasClosed() {
        Source source = new PulseSourceProvider().create(PulseSettings.DEFAULTS, PluginContext.system("test"));
        source.close();
        source.close();
        assertThatThrownBy(() -> source.open(PcmFormat.DEFAULT_WIRE, 480))
                .isInstanceOf(SourceException.class).hasMessage("The pulse source was closed before it was opened.");
        assertThat(source.describe()).isEqualTo("pulse: the default source (closed)");
    }

    @Test
    void readBeforeOpenIsAMistake() {
        try (Source source = new PulseSourceProvider().create(PulseSettings.DEFAULTS, PluginContext.system("test"))) {
            assertThatThrownBy(() -> source.read(new byte[1920], 0, 1920)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("read before open");
        }
    }

    private static SourceEntry entry(String name) {
        return new SourceEntry(name, "", 3, 48_000, 2);
    }
}
