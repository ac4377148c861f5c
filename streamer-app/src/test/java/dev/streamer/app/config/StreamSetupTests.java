package dev.streamer.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamer.api.PcmFormat;
import dev.streamer.core.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Profiles and flags resolve with the documented precedence, and every bad input names where it is and what is valid. */
class StreamSetupTests {
    private static PluginRegistry plugins;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadPlugins() throws Exception {
        plugins = PluginRegistry.load(ModuleLayer.boot());
    }

    private Optional<ConfigFile> file(String json) throws IOException, ConfigException {
        Path path = dir.resolve("config.json");
        Files.writeString(path, json);
        return Optional.of(ConfigFile.read(path));
    }

    private static Overrides flags(String host, Integer port, Integer rate, List<String> sets) {
        return new Overrides(null, null, null, host, port, null, rate, null, null, null, sets);
    }

    @Test
    void builtInDefaultsStreamSnapcastFormatToLocalhost() throws Exception {
        StreamSetup setup = StreamSetup.resolve(Optional.empty(), Overrides.NONE, plugins);
        assertThat(setup.engine().wireFormat()).isEqualTo(PcmFormat.wire(48000, 16, 2));
        assertThat(setup.engine().chunkFrames()).isEqualTo(512);
        assertThat(setup.sourceProvider().name()).as("the first installed of pulse, javasound").isEqualTo("pulse");
        assertThat(setup.transportProvider().name()).isEqualTo("tcp");
        assertThat(setup.transportSettings().toString()).contains("host=127.0.0.1").contains("port=4953");
    }

    @Test
    void flagsWinOverTheProfileWhichWinsOverDefaults() throws Exception {
        Optional<ConfigFile> config = file("""
                {"defaultProfile": "room",
                 "profiles": {"room": {"transport": {"plugin": "tcp", "host": "snap.example", "port": 1705,
                                                     "writeTimeoutMillis": 2000},
                                       "format": {"rate": 44100, "bits": 24},
                                       "chunkFrames": 1024}}}
                """);
        StreamSetup fromProfile = StreamSetup.resolve(config, Overrides.NONE, plugins);
        assertThat(fromProfile.profile()).isEqualTo("room");
        assertThat(fromProfile.engine().wireFormat()).isEqualTo(PcmFormat.wire(44100, 24, 2));
        assertThat(fromProfile.engine().chunkFrames()).isEqualTo(1024);
        assertThat(fromProfile.transportSettings().toString()).contains("host=snap.example", "port=1705", "writeTimeoutMillis=2000");

        StreamSetup withFlags = StreamSetup.resolve(config,
                flags("::1", 4953, 48000, List.of("transport.writeTimeoutMillis=1500")), plugins);
        assertThat(withFlags.engine().wireFormat()).isEqualTo(PcmFormat.wire(48000, 24, 2));
        assertThat(withFlags.transportSettings().toString()).contains("host=::1", "port=4953", "writeTimeoutMillis=1500");
    }

    static Stream<Arguments> badConfigurations() {
        return Stream.of(
                Arguments.of("{\"profiles\": {\"a\": {}}, \"defaultProfile\": \"b\"}", "$.defaultProfile: no profile 'b'"),
                Arguments.of("{\"profile\": {}}", "$.profile: unknown field (did you mean 'profiles'?)"),
                Arguments.of("{\"profiles\": []}", "$.profiles: expected an object of named profiles, found an array"),
                Arguments.of("[1, 2]", "must be a JSON object"),
                Arguments.of("{\"profiles\": {\"a\": {\"formt\": {}}}, \"defaultProfile\": \"a\"}",
                        "$.profiles.a.formt: unknown field (did you mean 'format'?)"),
                Arguments.of("{\"profiles\": {\"a\": {\"format\": {\"rate\": \"fast\"}}}, \"defaultProfile\": \"a\"}",
                        "$.profiles.a.format.rate: expected a whole number, found the string \"fast\""),
                Arguments.of("{\"profiles\": {\"a\": {\"format\": {\"rate\": 12345}}}, \"defaultProfile\": \"a\"}",
                        "$.profiles.a.format.rate: 12345 Hz is not a supported rate; valid: 8000"),
                Arguments.of("{\"profiles\": {\"a\": {\"format\": {\"bits\": 12}}}, \"defaultProfile\": \"a\"}",
                        "$.profiles.a.format.bits: 12 is not a supported bit depth; valid: 16, 24, 32"),
                Arguments.of("{\"profiles\": {\"a\": {\"format\": {\"channels\": 6}}}, \"defaultProfile\": \"a\"}",
                        "$.profiles.a.format.channels: 6 channels are not supported"),
                Arguments.of("{\"profiles\": {\"a\": {\"transport\": {\"port\": 70000}}}, \"defaultProfile\": \"a\"}",
                        "$.profiles.a.transport: port 70000"),
                Arguments.of("{\"profiles\": {\"a\": {\"transport\": {\"hots\": \"x\"}}}, \"defaultProfile\": \"a\"}",
                        "$.profiles.a.transport.hots: unknown setting of transport 'tcp' (did you mean 'host'?)"),
                Arguments.of("{\"profiles\": {\"a\": {\"transport\": {\"plugin\": \"udp\"}}}, \"defaultProfile\": \"a\"}",
                        "$.profiles.a.transport.plugin: unknown transport plugin 'udp'; available: tcp"),
                Arguments.of("{\"profiles\": {\"a\": {\"source\": \"mic\"}}, \"defaultProfile\": \"a\"}",
                        "$.profiles.a.source: expected an object, found the string \"mic\""),
                Arguments.of("{\"profiles\": {\"a\": {\"chunkFrames\": 8}}, \"defaultProfile\": \"a\"}",
                        "chunk of 8 frames is outside 32..16384"));
    }

    @ParameterizedTest
    @MethodSource("badConfigurations")
    void badConfigurationNamesTheJsonPathAndWhatIsValid(String json, String expected) throws Exception {
        Path path = dir.resolve("bad.json");
        Files.writeString(path, json);
        byte[] before = Files.readAllBytes(path);
        assertThatThrownBy(() -> StreamSetup.resolve(Optional.of(ConfigFile.read(path)), Overrides.NONE, plugins))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining(expected);
        assertThat(Files.readAllBytes(path)).as("a failed command never touches the file").isEqualTo(before);
    }

    @Test
    void malformedJsonGivesFileLineAndColumn() throws Exception {
        Path path = dir.resolve("broken.json");
        Files.writeString(path, "{\n  \"profiles\": {,}\n}");
        assertThatThrownBy(() -> ConfigFile.read(path))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(path + ":2:")
                .hasMessageContaining("malformed JSON");
    }

    static Stream<Arguments> badFlags() {
        return Stream.of(
                Arguments.of(flags(null, 70000, null, List.of()), "--port: port 70000"),
                Arguments.of(flags(null, null, 12345, List.of()), "--rate: 12345 Hz is not a supported rate"),
                Arguments.of(flags(null, null, null, List.of("transport.hots=x")),
                        "--set transport.hots: transport 'tcp' has no setting 'hots' (did you mean 'host'?)"),
                Arguments.of(flags(null, null, null, List.of("transport.port=abc")), "--set transport.port: expected a whole number"),
                Arguments.of(flags(null, null, null, List.of("transport.port=3000000000")),
                        "--set transport.port: expected a whole number from -2147483648 to 2147483647, found 3000000000"),
                Arguments.of(flags(null, null, null, List.of("transport.keepAlive=maybe")),
                        "--set transport.keepAlive: expected true or false, found \"maybe\""),
                Arguments.of(flags(null, null, null, List.of("noequals")), "--set noequals: expected source.KEY=VALUE"),
                Arguments.of(flags(null, null, null, List.of("sink.x=1")), "--set sink.x=1: expected source.KEY=VALUE"),
                Arguments.of(flags("a", null, null, List.of("transport.host=b")), "--host: 'host' is already set by --set transport.host"),
                Arguments.of(new Overrides("nope", null, null, null, null, null, null, null, null, null, List.of()),
                        "--profile nope: there is no configuration file"),
                Arguments.of(new Overrides(null, "mic", null, null, null, null, null, null, null, null, List.of()),
                        "--source: unknown source plugin 'mic'; available: "),
                Arguments.of(new Overrides(null, null, null, null, null, null, null, 3, null, null, List.of()),
                        "--channels: 3 channels are not supported"),
                Arguments.of(new Overrides(null, null, null, null, null, null, null, null, 8, null, List.of()),
                        "--bits: 8 is not a supported bit depth"),
                Arguments.of(new Overrides(null, null, null, null, null, null, null, null, null, 20000, List.of()),
                        "--chunk: chunk of 20000 frames is outside 32..16384"));
    }

    @ParameterizedTest
    @MethodSource("badFlags")
    void badFlagNamesTheFlag(Overrides overrides, String expected) {
        assertThatThrownBy(() -> StreamSetup.resolve(Optional.empty(), overrides, plugins))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void unknownProfileListsTheKnownOnes() throws Exception {
        Optional<ConfigFile> config = file("{\"profiles\": {\"kitchen\": {}, \"office\": {}}}");
        assertThatThrownBy(() -> StreamSetup.resolve(config,
                new Overrides("kitchn", null, null, null, null, null, null, null, null, null, List.of()), plugins))
                .hasMessageContaining("no profile 'kitchn' (did you mean 'kitchen'?); profiles: kitchen, office");
    }

    @Test
    void conventionalLocationFollowsXdg() {
        assertThat(ConfigFile.defaultLocation(Map.of("XDG_CONFIG_HOME", "/x/conf")))
                .isEqualTo(Path.of("/x/conf/streamer/config.json"));
        assertThat(ConfigFile.defaultLocation(Map.of()))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".config", "streamer", "config.json"));
    }
}
