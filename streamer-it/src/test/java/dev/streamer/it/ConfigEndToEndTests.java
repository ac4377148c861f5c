package dev.streamer.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The configuration commands of the image, the schema it ships, and a receiver whose name does not resolve. */
class ConfigEndToEndTests {
    private static final Duration RUN = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    @BeforeAll
    static void image() {
        Peers.launcher();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void initPointsAtTheShippedSchemaAndSavedProfilesValidateAndShow() throws IOException {
        Path config = temp.resolve("streamer").resolve("config.json");
        Peers.Result init = StreamerProcess.run(RUN, "config", "init", "--config", config.toString());
        assertThat(init.exitCode()).as("%s", init).isZero();
        Path schema = Path.of(java.net.URI.create(JSON.readTree(Files.readString(config)).path("$schema").asString()));
        assertThat(schema).as("$schema of the starter file").startsWith(Peers.launcher().getParent().getParent())
                .hasSameTextualContentAs(Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("config.schema.json"));

        Peers.Result save = StreamerProcess.run(RUN, "profile", "save", "kitchen", "--config", config.toString(), "--host", "::1",
                "--preset", "wifi", "--set", "transport.writeTimeoutMillis=2000");
        assertThat(save.exitCode()).as("%s", save).isZero();
        Peers.Result validate = StreamerProcess.run(RUN, "config", "validate", "--config", config.toString());
        assertThat(validate.stdout().strip()).as("%s", validate).isEqualTo(config + ": ok, 2 profiles (default: local)");

        Peers.Result show = StreamerProcess.run(RUN, Map.of("STREAMER_CONFIG", config.toString(), "STREAMER_PROFILE", "kitchen",
                "STREAMER_PORT", "1705"), "config", "show");
        assertThat(show.exitCode()).as("%s", show).isZero();
        JsonNode shown = JSON.readTree(show.stdout());
        assertThat(List.of(shown.at("/transport/host").asString(), shown.at("/transport/port").asInt(),
                shown.at("/transport/writeTimeoutMillis").asInt(), shown.at("/ringMillis").asInt()))
                .isEqualTo(List.of("::1", 1705, 2000, 4000));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void badEnvironmentValueExitsWithTwoAndNamesTheVariable() {
        Peers.Result result = StreamerProcess.run(RUN, Map.of("STREAMER_PORT", "abc"), "stream");
        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.stderrLines()).as("%s", result).containsExactly("streamer: STREAMER_PORT=abc: expected a port 1-65535");
    }

    /**
     * A name that does not resolve may resolve later (DNS down, a laptop not yet on the network), so
     * streamer keeps retrying like for any failed connection; the user gets one warning naming the host,
     * and each retry only as an INFO state line. The resolver reads an empty hosts file here
     * ({@code jdk.net.hosts.file}), so the test asks no DNS server.
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void unresolvableHostKeepsRetryingWithOneWarningNamingTheHost() throws IOException {
        Peers.requireTools("kill");
        Path hosts = Files.writeString(temp.resolve("hosts"), "127.0.0.1 localhost\n");
        try (StreamerProcess streamer = StreamerProcess.start(Map.of("STREAMER_JAVA_OPTIONS", "-Djdk.net.hosts.file=" + hosts),
                "stream", "--source", "signal", "--host", "nosuch.invalid", "--status", "json")) {
            JsonNode reconnecting = streamer.awaitState("reconnecting", 2, Duration.ofSeconds(30)).json();
            assertThat(reconnecting.path("detail").asString()).as("%s", streamer.diagnostics())
                    .contains("cannot resolve host nosuch.invalid");
            assertThat(streamer.isAlive()).isTrue();
            List<String> warnings = streamer.stderr().lines().filter(line -> line.contains("nosuch.invalid") && !line.contains(" INFO "))
                    .toList();
            assertThat(warnings).as("%s", streamer.diagnostics()).singleElement().asString().contains("cannot resolve host nosuch.invalid");
            streamer.signal("TERM");
            assertThat(streamer.awaitExit(Duration.ofSeconds(10))).as("%s", streamer.diagnostics()).isZero();
        }
    }
}
