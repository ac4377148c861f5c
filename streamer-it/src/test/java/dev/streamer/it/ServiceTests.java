package dev.streamer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The systemd unit shipped in the image is valid, and its command runs headless and stops cleanly on its signal. */
class ServiceTests {
    private static final String IMAGE_IN_UNIT = "%h/.local/lib/streamer";

    @TempDir
    Path temp;

    private static List<String> unit() throws IOException {
        Path unit = Peers.launcher().getParent().getParent().resolve("systemd").resolve("streamer.service");
        assertThat(unit).as("the image ships the unit").isRegularFile();
        return Files.readAllLines(unit);
    }

    private static String value(List<String> unit, String key) {
        return unit.stream().filter(line -> line.startsWith(key + "=")).map(line -> line.substring(key.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError("the unit has no " + key));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theUnitPassesSystemdsOwnCheck() throws IOException {
        assumeTrue(Peers.findOnPath("systemd-analyze") != null, "systemd-analyze is not installed");
        Path image = Peers.launcher().getParent().getParent();
        Path unit = temp.resolve("streamer.service");
        Files.writeString(unit, String.join("\n", unit()).replace(IMAGE_IN_UNIT, image.toString()) + "\n");
        Peers.Result verified = Peers.run(Duration.ofSeconds(30), "systemd-analyze", "verify", "--man=no", unit.toString());
        assertThat(verified.exitCode()).as("%s", verified).isZero();
        assertThat(verified.stdout() + verified.stderr()).as("no warning about the unit").doesNotContain(unit.toString());
    }

    /** ExecStart as systemd runs it (with a test tone and a port nobody listens on), then KillSignal. */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void theServiceCommandLogsOnlyProblemsToItsFileAndExitsZeroOnTheKillSignal() throws IOException {
        List<String> unit = unit();
        List<String> execStart = Arrays.asList(value(unit, "ExecStart").split("\\s+"));
        assertThat(execStart.getFirst()).isEqualTo(IMAGE_IN_UNIT + "/bin/streamer");
        assertThat(value(unit, "KillSignal")).isEqualTo("SIGTERM");
        long stopSeconds = Long.parseLong(value(unit, "TimeoutStopSec"));

        Path log = temp.resolve("streamer.log");
        List<String> args = new ArrayList<>(execStart.subList(1, execStart.size()));
        args.addAll(List.of("--source", "signal", "--port", Integer.toString(closedPort()), "--log-file", log.toString()));
        try (StreamerProcess streamer = StreamerProcess.start(args.toArray(String[]::new))) {
            boolean warned = Poll.within(Duration.ofSeconds(30), () -> Files.exists(log) && read(log).contains("connection refused"));
            assertThat(warned).as("the refused connection is logged to the file\n%s", streamer.diagnostics()).isTrue();
            long start = System.nanoTime();
            streamer.signalLauncher("TERM"); // systemd signals the pid it started
            assertThat(streamer.awaitExit(Duration.ofSeconds(stopSeconds))).as("exit code after SIGTERM\n%s", streamer.diagnostics())
                    .isZero();
            System.out.printf("[service] stopped %d ms after SIGTERM%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            assertThat(streamer.stderr()).as("everything goes to the log file").isEmpty();
            assertThat(read(log).lines()).as("--quiet: warnings and errors only, each with the date")
                    .isNotEmpty()
                    .allMatch(line -> line.matches("\\d{4}-\\d{2}-\\d{2} [\\d:.]+ (WARN |ERROR) .*"));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
