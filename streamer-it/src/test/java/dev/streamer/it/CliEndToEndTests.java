package dev.streamer.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** The command line of the image: version, plugins, devices, what bad input gets, and signals. */
class CliEndToEndTests {
    private static final Duration RUN = Duration.ofSeconds(30);

    @TempDir
    static Path temp;

    @BeforeAll
    static void image() {
        Peers.launcher();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void versionPrintsTheProjectVersion() {
        Peers.Result result = StreamerProcess.run(RUN, "--version");
        assertThat(result.exitCode()).as("%s", result).isZero();
        String expected = System.getProperty("streamer.version");
        String first = result.stdout().lines().findFirst().orElse("");
        if (expected != null && !expected.isBlank()) {
            assertThat(first).as("%s", result).isEqualTo("streamer " + expected);
        } else {
            assertThat(first).as("%s", result).matches("streamer \\d+\\.\\d+\\.\\d+\\S*");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theLauncherWorksThroughSymbolicLinksAndStillFindsItsAotCache() throws IOException {
        Path launcher = Peers.launcher().toAbsolutePath();
        Path links = Files.createDirectories(temp.resolve("links/nested"));
        Path absolute = Files.createSymbolicLink(temp.resolve("links/streamer"), launcher); // as in /usr/local/bin
        Path relative = Files.createSymbolicLink(links.resolve("streamer"), Path.of("../streamer")); // a link to that link
        for (Path path : List.of(launcher, absolute, relative)) {
            // a later -Xlog wins over the launcher's silencing of the cache's messages
            Peers.Result result = Peers.run(RUN, java.util.Map.of("STREAMER_JAVA_OPTIONS", "-Xlog:aot=info"), path.toString(), "--version");
            assertThat(result.exitCode()).as("%s: %s", path, result).isZero();
            assertThat(result.stdout()).as("%s: %s", path, result).contains("streamer ").contains("Opened AOT cache");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void pluginsListsTheSourceAndTheTransportOfTheImage() {
        Peers.Result result = StreamerProcess.run(RUN, "plugins");
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout().lines())
                .as("%s", result)
                .anyMatch(line -> line.matches("source\\s+javasound\\s+dev\\.streamer\\.source\\.javasound(\\s.*)?"))
                .anyMatch(line -> line.matches("transport\\s+tcp\\s+dev\\.streamer\\.transport\\.tcp(\\s.*)?"));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void devicesMarksTheDefaultOfTheDefaultSourcePluginAndOfJavaSound() {
        Peers.requirePulse();
        Peers.Result result = StreamerProcess.run(RUN, "devices"); // the pulse source, installed in the image
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout().lines().map(String::stripTrailing)).as("%s", result).contains("* " + Peers.SINK + ".monitor");
        Peers.Result javasound = StreamerProcess.run(RUN, "devices", "--source", "javasound");
        assertThat(javasound.exitCode()).as("%s", javasound).isZero();
        assertThat(javasound.stdout().lines().map(String::stripTrailing)).as("%s", javasound).contains("* default [default]");
    }

    static Stream<Arguments> badInputs() throws IOException {
        Path valid = temp.resolve("valid.json");
        Files.writeString(valid, """
                {"profiles": {"home": {"transport": {"port": 4953}}, "office": {}}}
                """);
        return Stream.of(
                Arguments.of(List.of("stream", "--port", "70000"), List.of("--port", "70000")),
                Arguments.of(List.of("stream", "--rate", "12345"), List.of("--rate", "12345")),
                Arguments.of(List.of("stream", "--bits", "12"), List.of("--bits", "12")),
                Arguments.of(List.of("stream", "--channels", "3"), List.of("--channels", "3")),
                Arguments.of(List.of("stream", "--set", "transport.hots=x"), List.of("--set transport.hots", "did you mean 'host'")),
                Arguments.of(List.of("stream", "--config", "/nonexistent.json"), List.of("/nonexistent.json")),
                Arguments.of(List.of("stream", "--config", valid.toString(), "--profile", "kitchen"),
                        List.of(valid.toString(), "'kitchen'", "home", "office")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void badInputExitsWithTwoAndOneLineNamingIt(List<String> args, List<String> mentions) {
        Peers.Result result = StreamerProcess.run(RUN, args.toArray(String[]::new));
        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.stderrLines()).as("%s", result).hasSize(1);
        String line = result.stderrLines().getFirst();
        assertThat(line).as("%s", result).startsWith("streamer: ");
        for (String mention : mentions) {
            assertThat(line).contains(mention);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void malformedConfigNamesFileLineAndColumn() throws IOException {
        Path malformed = temp.resolve("broken.json");
        Files.writeString(malformed, "{\n  \"profiles\": {\n    \"home\": [1, 2,, 3]\n  }\n}\n");
        Peers.Result result = StreamerProcess.run(RUN, "stream", "--config", malformed.toString());
        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.stderrLines()).as("%s", result).hasSize(1);
        assertThat(result.stderrLines().getFirst()).matches(Pattern.quote("streamer: " + malformed) + ":3:\\d+: malformed JSON.*");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void unknownDeviceExitsWithOneAndListsTheDevices() throws IOException {
        Peers.requirePulse();
        Peers.Result result = StreamerProcess.run(RUN, "stream", "--device", "nosuchdevice", "--port", Integer.toString(closedPort()),
                "--status", "none");
        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(result.stderr()).as("%s", result).contains("nosuchdevice").contains("\"" + Peers.SINK + ".monitor\"");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void refusedPortKeepsReconnectingAndSigtermExitsZero() throws IOException {
        Peers.requirePulse();
        Peers.requireTools("kill");
        int port = closedPort();
        try (StreamerProcess streamer = StreamerProcess.start("stream", "--port", Integer.toString(port), "--status", "json")) {
            JsonNode first = streamer.awaitState("reconnecting", Duration.ofSeconds(20)).json();
            assertThat(first.path("detail").asString()).as("%s", streamer.diagnostics()).containsIgnoringCase("refused");
            // still at it: a second failed attempt, and the error counted by kind
            streamer.awaitState("reconnecting", 2, Duration.ofSeconds(30));
            JsonNode status = streamer.awaitEvent("a status with 2 refused connections", Duration.ofSeconds(10),
                    e -> e.event().equals("status") && e.errors("refused") >= 2).json();
            assertThat(status.path("bytesSent").asLong()).isZero();
            assertThat(streamer.isAlive()).isTrue();
            assertThat(streamer.states()).as("%s", streamer.diagnostics())
                    .noneMatch(e -> e.path("state").asString().equals("failed") || e.path("state").asString().equals("streaming"));

            streamer.signal("TERM");
            assertThat(streamer.awaitExit(Duration.ofSeconds(10))).as("exit code after SIGTERM\n%s", streamer.diagnostics()).isZero();
            assertThat(streamer.states().getLast().path("state").asString()).isEqualTo("stopped");
        }
    }

    /**
     * {@code kill PID}, {@link Process#destroy()}, a supervisor or {@code docker stop} signal the pid
     * they started: the launcher's. The JVM must get the signal and stop, not be orphaned.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sigtermToTheLauncherPidStopsTheJvm() throws IOException {
        Peers.requirePulse();
        Peers.requireTools("kill");
        try (StreamerProcess streamer = StreamerProcess.start("stream", "--port", Integer.toString(closedPort()), "--status", "json")) {
            streamer.awaitState("reconnecting", Duration.ofSeconds(20));
            ProcessHandle jvm = streamer.jvm();
            streamer.signalLauncher("TERM");
            boolean stopped = Poll.within(Duration.ofSeconds(10), () -> !jvm.isAlive());
            assertThat(stopped).as("JVM %d (%s) stopped after SIGTERM to the launcher's pid; its parent now: %s\n%s", jvm.pid(),
                    jvm.info().commandLine().orElse("?"), jvm.parent().map(ProcessHandle::pid).orElse(-1L), streamer.diagnostics())
                    .isTrue();
        }
    }

    /** A loopback port nothing listens on (it was free a moment ago; the kernel does not hand it out again at once). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
