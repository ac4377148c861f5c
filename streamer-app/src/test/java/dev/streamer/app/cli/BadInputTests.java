package dev.streamer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input across the commands, in this JVM: each gets its exit code and one message that names
 * where (file and JSON path, flag or variable), what was found and what is valid; no stack trace;
 * and the configuration file is left byte for byte as it was, with nothing new beside it.
 * ({@code $FILE} stands for the configuration file of the row.)
 */
class BadInputTests {
    private static final String VALID = """
            {"defaultProfile": "home", "profiles": {"home": {"transport": {"port": 4953}}, "office": {}}}
            """;
    private static final String MALFORMED = "{\n  \"profiles\": {,}\n}\n";

    @TempDir
    Path home;

    /**
     * @param file the configuration file's content, or null for no file
     * @param mentions what the message must contain
     */
    record Row(String name, String file, Map<String, String> environment, List<String> args, int exitCode, List<String> mentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Row row(String name, String file, List<String> args, int exitCode, String... mentions) {
        return new Row(name, file, Map.of(), args, exitCode, List.of(mentions));
    }

    private static Row env(String name, Map<String, String> environment, List<String> args, String... mentions) {
        return new Row(name, VALID, environment, args, 2, List.of(mentions));
    }

    private static String profile(String body) {
        return "{\"defaultProfile\": \"a\", \"profiles\": {\"a\": " + body + "}}";
    }

    static Stream<Row> rows() {
        List<String> validate = List.of("config", "validate", "--config", "$FILE");
        List<String> stream = List.of("stream", "--config", "$FILE", "--status", "none");
        return Stream.of(
                // the file, through config validate and stream
                row("malformed JSON", MALFORMED, validate, 2, "$FILE:2:", "malformed JSON"),
                row("malformed JSON, stream", MALFORMED, stream, 2, "$FILE:2:", "malformed JSON"),
                row("not an object", "[1, 2]", validate, 2, "$FILE", "must be a JSON object with \"profiles\", found an array"),
                row("unknown top-level field", "{\"profile\": {}}", validate, 2,
                        "$FILE: $.profile: unknown field (did you mean 'profiles'?); valid: $schema, defaultProfile, profiles"),
                row("$schema of the wrong type", "{\"$schema\": 3, \"profiles\": {}}", validate, 2,
                        "$FILE: $.$schema: expected the URI of the schema, found the number 3"),
                row("defaultProfile names no profile", "{\"defaultProfile\": \"offise\", \"profiles\": {\"office\": {}}}", validate, 2,
                        "$FILE: $.defaultProfile: no profile 'offise' (did you mean 'office'?); profiles: office"),
                row("unknown profile field", profile("{\"formt\": {}}"), validate, 2,
                        "$FILE: $.profiles.a.formt: unknown field (did you mean 'format'?); valid: "),
                row("wrong type", profile("{\"chunkFrames\": \"big\"}"), validate, 2,
                        "$FILE: $.profiles.a.chunkFrames: expected a whole number, found the string \"big\""),
                row("port out of range", profile("{\"transport\": {\"port\": 70000}}"), validate, 2,
                        "$FILE: $.profiles.a.transport: port 70000 is outside 1..65535"),
                row("rate not supported", profile("{\"format\": {\"rate\": 12345}}"), validate, 2,
                        "$FILE: $.profiles.a.format.rate: 12345 Hz is not a supported rate; valid: 8000, 11025"),
                row("bits not supported", profile("{\"format\": {\"bits\": 12}}"), validate, 2,
                        "$.profiles.a.format.bits: 12 is not a supported bit depth; valid: 16, 24, 32"),
                row("channels not supported", profile("{\"format\": {\"channels\": 6}}"), validate, 2,
                        "$.profiles.a.format.channels: 6 channels are not supported; valid: 1 (mono), 2 (stereo)"),
                row("chunk out of range", profile("{\"chunkFrames\": 8}"), validate, 2,
                        "$FILE: $.profiles.a", "chunk of 8 frames is outside 32..16384"),
                row("unknown plugin", profile("{\"transport\": {\"plugin\": \"udp\"}}"), validate, 2,
                        "$FILE: $.profiles.a.transport.plugin: unknown transport plugin 'udp'; available: tcp"),
                row("unknown plugin setting", profile("{\"source\": {\"plugin\": \"javasound\", \"bufferMilis\": 40}}"), validate, 2,
                        "$.profiles.a.source.bufferMilis: unknown setting of source 'javasound' (did you mean 'bufferMillis'?); valid:"),
                row("unknown preset", profile("{\"preset\": \"wify\"}"), validate, 2,
                        "$.profiles.a.preset: unknown preset 'wify' (did you mean 'wifi'?); presets: ethernet, wifi, wifi-poor, custom"),
                row("host syntactically invalid", profile("{\"transport\": {\"host\": \"snap server\"}}"), validate, 2,
                        "$.profiles.a.transport: host \"snap server\" is not a host name, an IPv4 address or an IPv6 address"),
                row("host with a port", profile("{\"transport\": {\"host\": \"snap:4953\"}}"), stream, 2,
                        "$.profiles.a.transport: host \"snap:4953\" contains a port; give the port in \"port\""),
                row("no such file", null, List.of("config", "validate", "--config", "$FILE"), 2,
                        "$FILE: no such configuration file (streamer config init creates one)"),
                // flags
                row("--port out of range", null, List.of("stream", "--port", "70000"), 2, "--port: port 70000 is outside 1..65535"),
                row("--port not a number", null, List.of("stream", "--port", "abc"), 2, "--port", "'abc' is not an int"),
                row("--rate not supported", null, List.of("stream", "--rate", "12345"), 2, "--rate: 12345 Hz", "valid: 8000"),
                row("--host invalid", null, List.of("stream", "--host", "300.1.1.1"), 2,
                        "--host: host \"300.1.1.1\" is not a valid IPv4 address"),
                row("--set with an unknown kind", null, List.of("stream", "--set", "sink.x=1"), 2,
                        "--set sink.x=1: expected source.KEY=VALUE, transport.KEY=VALUE or engine.KEY=VALUE"),
                row("--set with an unknown key", null, List.of("stream", "--set", "transport.hots=x"), 2,
                        "--set transport.hots: transport 'tcp' has no setting 'hots' (did you mean 'host'?); its settings: host, port"),
                row("--set engine with an unknown key", null, List.of("config", "show", "--set", "engine.latencyTargetMilis=9"), 2,
                        "--set engine.latencyTargetMilis: unknown engine setting 'latencyTargetMilis' (did you mean 'latencyTargetMillis'?)"),
                row("--profile unknown", VALID, List.of("config", "show", "--config", "$FILE", "--profile", "hom"), 2,
                        "$FILE: no profile 'hom' (did you mean 'home'?); profiles: home, office"),
                row("--profile without a file", null, List.of("stream", "--profile", "x"), 2,
                        "--profile x: there is no configuration file; create one with: streamer config init"),
                row("devices of an unknown source", null, List.of("devices", "--source", "mic"), 2,
                        "--source: unknown source plugin 'mic'; available: "),
                row("plugins from a missing directory", null, List.of("plugins", "--plugin-path", "$FILE"), 1,
                        "--plugin-path $FILE: no such directory"),
                row("config without a subcommand", null, List.of("config"), 2, "Missing subcommand: validate, show or init"),
                row("--serve with --set transport.mode", null, List.of("stream", "--serve", "--set", "transport.mode=client"), 2,
                        "--serve 127.0.0.1 and --set transport.mode=client say the same thing; give one of them"),
                row("--log-level unknown", null, List.of("--log-level", "verbose", "stream"), 2, "--log-level", "'verbose'",
                        "ERROR, WARN, INFO, DEBUG, TRACE"),
                row("--log-file in a missing directory", null, List.of("--log-file", "$FILE/missing/streamer.log", "stream"), 2,
                        "--log-file $FILE/missing/streamer.log: cannot append to it", "its directory must exist"),
                // environment
                env("STREAMER_PORT not a number", Map.of("STREAMER_PORT", "abc"), List.of("stream", "--config", "$FILE"),
                        "STREAMER_PORT=abc: expected a port 1-65535"),
                env("STREAMER_PORT out of range", Map.of("STREAMER_PORT", "0"), List.of("config", "show", "--config", "$FILE"),
                        "STREAMER_PORT=0: expected a port 1-65535"),
                env("STREAMER_RATE not supported", Map.of("STREAMER_RATE", "12345"), List.of("config", "show", "--config", "$FILE"),
                        "STREAMER_RATE: 12345 Hz is not a supported rate; valid: 8000"),
                env("STREAMER_CHUNK not a number", Map.of("STREAMER_CHUNK", "lots"), List.of("config", "show", "--config", "$FILE"),
                        "STREAMER_CHUNK=lots: expected frames per network write, 32 to 16384"),
                env("STREAMER_PRESET unknown", Map.of("STREAMER_PRESET", "wify"), List.of("config", "show", "--config", "$FILE"),
                        "STREAMER_PRESET: unknown preset 'wify' (did you mean 'wifi'?); presets: "),
                env("STREAMER_SOURCE unknown", Map.of("STREAMER_SOURCE", "mic"), List.of("stream", "--config", "$FILE"),
                        "STREAMER_SOURCE: unknown source plugin 'mic'; available: "),
                env("STREAMER_HOST invalid", Map.of("STREAMER_HOST", "snap server"), List.of("config", "show", "--config", "$FILE"),
                        "STREAMER_HOST: host \"snap server\" is not a host name"),
                env("STREAMER_PROFILE unknown", Map.of("STREAMER_PROFILE", "offic"), List.of("config", "show", "--config", "$FILE"),
                        "$FILE: no profile 'offic' (did you mean 'office'?)"),
                new Row("STREAMER_CONFIG missing", null, Map.of("STREAMER_CONFIG", "/nonexistent/streamer.json"), List.of("stream"), 2,
                        List.of("/nonexistent/streamer.json: no such configuration file")),
                // commands that write
                row("config init over a file", VALID, List.of("config", "init", "--config", "$FILE"), 2,
                        "$FILE: the file already exists; pass --force to replace it (the old one is kept as config.json.bak)"),
                row("profile save, bad name", VALID, List.of("profile", "save", "my room", "--config", "$FILE"), 2,
                        "profile name 'my room': expected 1 to 64 letters, digits"),
                row("profile save, port out of range", VALID, List.of("profile", "save", "home", "--config", "$FILE", "--port", "70000"),
                        2, "--port: port 70000 is outside 1..65535"),
                row("profile save, bad --set", VALID, List.of("profile", "save", "new", "--config", "$FILE", "--source", "javasound", "--set",
                        "source.bufferMillis=5"), 2, "--set source.bufferMillis", "bufferMillis 5 is outside"),
                row("profile save, unknown preset", VALID, List.of("profile", "save", "home", "--config", "$FILE", "--preset", "lan"), 2,
                        "--preset: unknown preset 'lan'; presets: ethernet, wifi, wifi-poor, custom"),
                row("profile save, bad silence", VALID, List.of("profile", "save", "home", "--config", "$FILE", "--silence", "mute"), 2,
                        "--silence: 'mute' is not valid; valid: send, pause"),
                row("profile save into a malformed file", MALFORMED, List.of("profile", "save", "home", "--config", "$FILE"), 2,
                        "$FILE:2:", "malformed JSON"),
                row("profile save below a file", VALID, List.of("profile", "save", "x", "--config", "$FILE/sub/config.json"), 2,
                        "$FILE/sub/config.json: cannot write the configuration file (", "); it is unchanged"),
                row("profile show unknown", VALID, List.of("profile", "show", "ofice", "--config", "$FILE"), 2,
                        "$FILE: no profile 'ofice' (did you mean 'office'?); profiles: home, office"),
                row("profile delete unknown", VALID, List.of("profile", "delete", "kitchen", "--config", "$FILE"), 2,
                        "$FILE: no profile 'kitchen'; profiles: home, office"),
                row("profile delete the default", VALID, List.of("profile", "delete", "home", "--config", "$FILE"), 2,
                        "$FILE: $.defaultProfile: 'home' is the default profile", "pass --force"),
                row("profile list without a file", null, List.of("profile", "list", "--config", "$FILE"), 2,
                        "$FILE: no such configuration file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void badInputGetsOneClearMessageAndChangesNothing(Row row) throws Exception {
        Path directory = Files.createDirectory(home.resolve("conf"));
        Path file = directory.resolve("config.json");
        if (row.file() != null) {
            Files.writeString(file, row.file());
        }
        byte[] before = row.file() == null ? null : Files.readAllBytes(file);
        List<String> listing = listing(directory);
        String[] args = row.args().stream().map(arg -> arg.replace("$FILE", file.toString())).toArray(String[]::new);

        Cli result = Cli.run(home, row.environment(), args);

        assertThat(result.exitCode()).as("%s", result).isEqualTo(row.exitCode());
        assertThat(result.stdout()).as("%s", result).isEmpty();
        List<String> lines = result.stderr().lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).as("%s", result).allMatch(line -> line.startsWith("streamer: "));
        for (String mention : row.mentions()) {
            assertThat(result.stderr()).as("%s", result).contains(mention.replace("$FILE", file.toString()));
        }
        assertThat(result.stderr()).as("no stack trace without --debug").doesNotContain("\tat ").doesNotContain("Exception");
        if (before != null) {
            assertThat(Files.readAllBytes(file)).as("the file is unchanged").isEqualTo(before);
        }
        assertThat(listing(directory)).as("nothing new beside the file").isEqualTo(listing);
    }

    private static List<String> listing(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
