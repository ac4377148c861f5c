package dev.streamer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamer.app.config.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Built-in defaults < preset < profile < environment < flags: each row adds one layer, which must
 * override every value of the layer below (seen through {@code config show}, i.e. what {@code stream} runs).
 */
class PrecedenceTests {
    private static final String PROFILE = """
            {"preset": "wifi", "chunkFrames": 256, "silence": "pause",
             "source": {"device": "profile-device"}, "transport": {"host": "profile.example", "port": 1001},
             "format": {"rate": 44100, "bits": 24, "channels": 1}}
            """;
    private static final Map<String, String> ENVIRONMENT = Map.ofEntries(
            Map.entry("STREAMER_PRESET", "wifi-poor"), Map.entry("STREAMER_CHUNK", "384"), Map.entry("STREAMER_SILENCE", "send"),
            Map.entry("STREAMER_DEVICE", "env-device"), Map.entry("STREAMER_HOST", "env.example"), Map.entry("STREAMER_PORT", "2002"),
            Map.entry("STREAMER_RATE", "32000"), Map.entry("STREAMER_BITS", "32"), Map.entry("STREAMER_CHANNELS", "2"));
    private static final List<String> FLAGS = List.of("--preset", "custom", "--chunk", "640", "--silence", "pause",
            "--device", "flag-device", "--host", "flag.example", "--port", "3003", "--rate", "96000", "--bits", "16", "--channels", "1");

    @TempDir
    Path home;

    record Layer(String name, String profile, boolean environment, boolean flags) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Layer, then what it shows: preset, ringMillis, chunkFrames, silence, device, host, port, rate, bits, channels. */
    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of(new Layer("built-in defaults", "{}", false, false),
                        List.of("ethernet", 2000, 512, "send", "default", "127.0.0.1", 4953, 48000, 16, 2)),
                Arguments.of(new Layer("preset over defaults", "{\"preset\": \"wifi\"}", false, false),
                        List.of("wifi", 4000, 1024, "send", "default", "127.0.0.1", 4953, 48000, 16, 2)),
                Arguments.of(new Layer("profile over preset", PROFILE, false, false),
                        List.of("wifi", 4000, 256, "pause", "profile-device", "profile.example", 1001, 44100, 24, 1)),
                Arguments.of(new Layer("environment over profile", PROFILE, true, false),
                        List.of("wifi-poor", 8000, 384, "send", "env-device", "env.example", 2002, 32000, 32, 2)),
                Arguments.of(new Layer("flags over environment", PROFILE, true, true),
                        List.of("custom", 2000, 640, "pause", "flag-device", "flag.example", 3003, 96000, 16, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void eachLayerOverridesTheOneBelow(Layer layer, List<Object> expected) throws Exception {
        Path config = home.resolve("config.json");
        Files.writeString(config, "{\"defaultProfile\": \"p\", \"profiles\": {\"p\": " + layer.profile() + "}}");
        List<String> args = new ArrayList<>(List.of("config", "show", "--config", config.toString()));
        if (layer.flags()) {
            args.addAll(FLAGS);
        }
        Cli result = Cli.run(home, layer.environment() ? ENVIRONMENT : Map.of(), args.toArray(String[]::new));
        assertThat(result.exitCode()).as("%s", result).isZero();
        JsonNode shown = Json.MAPPER.readTree(result.stdout());
        assertThat(List.<Object>of(shown.path("preset").asString(), shown.path("ringMillis").asInt(), shown.path("chunkFrames").asInt(),
                shown.path("silence").asString(), shown.path("source").path("device").asString(),
                shown.path("transport").path("host").asString(), shown.path("transport").path("port").asInt(),
                shown.path("format").path("rate").asInt(), shown.path("format").path("bits").asInt(),
                shown.path("format").path("channels").asInt()))
                .as("%s", result).isEqualTo(expected);
    }

    @Test
    void streamerProfileAndStreamerConfigPickTheFileAndProfileButFlagsWin() throws Exception {
        Path config = home.resolve("elsewhere.json");
        Files.writeString(config, """
                {"defaultProfile": "a", "profiles": {"a": {"transport": {"port": 1001}}, "b": {"transport": {"port": 2002}},
                 "c": {"transport": {"port": 3003}}}}
                """);
        Map<String, String> env = Map.of("STREAMER_CONFIG", config.toString(), "STREAMER_PROFILE", "b");
        assertThat(port(Cli.run(home, env, "config", "show"))).isEqualTo(2002);
        assertThat(port(Cli.run(home, env, "config", "show", "--profile", "c"))).isEqualTo(3003);
    }

    @Test
    void anEmptyVariableCountsAsUnsetAndSetIsAFlag() throws Exception {
        assertThat(port(Cli.run(home, Map.of("STREAMER_PORT", ""), "config", "show"))).isEqualTo(4953);
        Cli result = Cli.run(home, Map.of("STREAMER_HOST", "env.example"), "config", "show", "--set", "transport.host=flag.example");
        assertThat(Json.MAPPER.readTree(result.stdout()).path("transport").path("host").asString()).as("%s", result)
                .isEqualTo("flag.example");
    }

    private static int port(Cli result) {
        assertThat(result.exitCode()).as("%s", result).isZero();
        return Json.MAPPER.readTree(result.stdout()).path("transport").path("port").asInt();
    }
}
