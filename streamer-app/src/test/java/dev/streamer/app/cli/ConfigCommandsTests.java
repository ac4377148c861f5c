package dev.streamer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamer.app.config.ConfigWriter;
import dev.streamer.app.config.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code config validate|show|init} and {@code profile list|show|save|delete} when all goes well. */
class ConfigCommandsTests {
    @TempDir
    Path home;

    private Path file(String json) throws Exception {
        Path path = home.resolve("config.json");
        Files.writeString(path, json);
        return path;
    }

    private static JsonNode json(Cli result) {
        assertThat(result.exitCode()).as("%s", result).isZero();
        return Json.MAPPER.readTree(result.stdout());
    }

    @Test
    void validateCountsTheProfilesAndNamesTheDefault() throws Exception {
        Path path = file("""
                {"defaultProfile": "b", "profiles": {"a": {}, "b": {"preset": "wifi"}, "c": {"transport": {"port": 1705}}}}
                """);
        Cli result = Cli.run(home, "config", "validate", "--config", path.toString());
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout().strip()).isEqualTo(path + ": ok, 3 profiles (default: b)");
    }

    @Test
    void validateReportsEveryBrokenProfile() throws Exception {
        Path path = file("""
                {"profiles": {"a": {"format": {"rate": 1}}, "b": {}, "c": {"transport": {"prot": 1}}}}
                """);
        Cli result = Cli.run(home, "config", "validate", "--config", path.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr().lines().toList()).satisfiesExactly(
                line -> assertThat(line).startsWith("streamer: " + path + ": $.profiles.a.format.rate: 1 Hz"),
                line -> assertThat(line).startsWith("streamer: " + path + ": $.profiles.c.transport.prot: unknown setting")
                        .contains("(did you mean 'port'?)"));
    }

    @Test
    void showPrintsACompleteProfileThatResolvesToItself() throws Exception {
        Path path = file("""
                {"defaultProfile": "room", "profiles": {"room": {"transport": {"host": "snap.example"}, "preset": "wifi"}}}
                """);
        JsonNode shown = json(Cli.run(home, "config", "show", "--config", path.toString(), "--port", "1705"));
        assertThat(shown.path("transport").path("host").asString()).isEqualTo("snap.example");
        assertThat(shown.path("transport").path("port").asInt()).isEqualTo(1705);
        assertThat(shown.path("ringMillis").asInt()).as("from the preset").isEqualTo(4000);
        assertThat(shown.path("source").path("plugin").asString()).isEqualTo("pulse");

        // pasted into a file, what show prints is a valid profile that resolves to the same settings
        Path pasted = file("{\"profiles\": {\"copy\": " + shown + "}}");
        assertThat(json(Cli.run(home, "config", "show", "--config", pasted.toString(), "--profile", "copy"))).isEqualTo(shown);
    }

    @Test
    void initWritesAValidStarterAndKeepsABackupWhenForced() throws Exception {
        Path path = home.resolve("new").resolve("dir").resolve("config.json");
        Cli result = Cli.run(home, "config", "init", "--config", path.toString());
        assertThat(result.exitCode()).as("%s", result).isZero();
        JsonNode written = Json.MAPPER.readTree(Files.readString(path));
        assertThat(written.path("$schema").asString()).endsWith("/docs/config.schema.json");
        assertThat(written.path("defaultProfile").asString()).isEqualTo("local");
        assertThat(Files.getPosixFilePermissions(path.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Cli.run(home, "config", "validate", "--config", path.toString()).exitCode()).isZero();

        Files.writeString(path, "{\"profiles\": {}}");
        assertThat(Cli.run(home, "config", "init", "--config", path.toString(), "--force").exitCode()).isZero();
        assertThat(Files.readString(ConfigWriter.backup(path))).isEqualTo("{\"profiles\": {}}");
        assertThat(Files.readString(path)).contains("\"local\"");
    }

    @Test
    void initWritesToStreamerConfigOrTheXdgLocation() throws Exception {
        Path fromVariable = home.resolve("elsewhere.json");
        assertThat(Cli.run(home, Map.of("STREAMER_CONFIG", fromVariable.toString()), "config", "init").exitCode()).isZero();
        assertThat(fromVariable).exists();
        assertThat(Cli.run(home, "config", "init").exitCode()).isZero();
        assertThat(home.resolve("streamer").resolve("config.json")).exists();
    }

    @Test
    void saveCreatesMergesReplacesAndBacksUp() throws Exception {
        Path path = home.resolve("conf").resolve("config.json");
        String config = path.toString();
        Cli created = Cli.run(home, "profile", "save", "room", "--config", config, "--host", "snap.example", "--port", "1705");
        assertThat(created.exitCode()).as("%s", created).isZero();
        assertThat(created.stdout()).contains("saved profile 'room' (the default)");
        assertThat(Files.exists(ConfigWriter.backup(path))).as("no backup of a file that did not exist").isFalse();

        String before = Files.readString(path);
        Cli merged = Cli.run(home, "profile", "save", "room", "--config", config, "--preset", "wifi", "--set", "transport.keepAlive=off",
                "--set", "engine.latencyTargetMillis=200", "--rate", "44100");
        assertThat(merged.exitCode()).as("%s", merged).isZero();
        assertThat(Files.readString(ConfigWriter.backup(path))).isEqualTo(before);
        JsonNode room = json(Cli.run(home, "profile", "show", "room", "--config", config));
        assertThat(room.toString()).isEqualTo("""
                {"transport":{"host":"snap.example","port":1705,"keepAlive":false},"format":{"rate":44100},\
                "preset":"wifi","latencyTargetMillis":200}""");

        assertThat(Cli.run(home, "profile", "save", "room", "--config", config, "--replace", "--source", "signal",
                "--set", "source.waveform=pink").exitCode()).isZero();
        assertThat(json(Cli.run(home, "profile", "show", "room", "--config", config)).toString())
                .isEqualTo("{\"source\":{\"plugin\":\"signal\",\"waveform\":\"pink\"}}");

        assertThat(Cli.run(home, "profile", "save", "office", "--config", config, "--default").exitCode()).isZero();
        assertThat(Cli.run(home, "profile", "list", "--config", config).stdout().lines()).containsExactly("* office", "  room");
        try (Stream<Path> files = Files.list(path.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("config.json", "config.json.bak");
        }
    }

    @Test
    void savingAnotherPluginDropsTheOldPluginsSettings() throws Exception {
        Path path = file("""
                {"profiles": {"p": {"source": {"plugin": "javasound", "bufferMillis": 40}, "preset": "wifi"}}}
                """);
        assertThat(Cli.run(home, "profile", "save", "p", "--config", path.toString(), "--source", "signal").exitCode()).isZero();
        assertThat(json(Cli.run(home, "profile", "show", "p", "--config", path.toString())).toString())
                .isEqualTo("{\"source\":{\"plugin\":\"signal\"},\"preset\":\"wifi\"}");
    }

    @Test
    void saveCanMendABrokenProfile() throws Exception {
        Path path = file("""
                {"profiles": {"p": {"transport": {"port": 70000}}}}
                """);
        Cli mended = Cli.run(home, "profile", "save", "p", "--config", path.toString(), "--port", "4953");
        assertThat(mended.exitCode()).as("%s", mended).isZero();
        assertThat(Cli.run(home, "config", "validate", "--config", path.toString()).exitCode()).isZero();
    }

    @Test
    void deleteRemovesAProfileAndTheDefaultOnlyWithForce() throws Exception {
        Path path = file("""
                {"defaultProfile": "a", "profiles": {"a": {}, "b": {}}}
                """);
        assertThat(Cli.run(home, "profile", "delete", "b", "--config", path.toString()).exitCode()).isZero();
        assertThat(Cli.run(home, "profile", "delete", "a", "--config", path.toString()).exitCode()).isEqualTo(2);
        Cli forced = Cli.run(home, "profile", "delete", "a", "--force", "--config", path.toString());
        assertThat(forced.exitCode()).as("%s", forced).isZero();
        assertThat(Json.MAPPER.readTree(Files.readString(path)).toString()).isEqualTo("{\"profiles\":{}}");
    }
}
