package dev.streamer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sound server dies under a running stream (a crash, {@code pulseaudio -k}). The shared peers'
 * daemon must stay up for the other tests, so this one starts a PulseAudio of its own, set up as
 * {@code setup-audio-peers.sh} sets up the shared one, and kills it with SIGKILL.
 */
class FaultPulseServerTests {

    @BeforeAll
    static void peers() {
        Peers.launcher();
        Peers.requireTools("pulseaudio");
        Peers.requirePulse(); // libpulse and a working PulseAudio installation
    }

    /**
     * streamer must fail with an error that says what happened, and exit 1 so that a service manager
     * restarts it. It used to hang: libpulse, finding the connection gone inside the mainloop call,
     * waited for ever for the capture thread (that same thread) to release the block a read had left
     * peeked, and the stream stayed "streaming" with no audio and no error.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSoundServerThatDiesEndsTheStreamWithAnErrorAndExitCode1() throws Exception {
        Path directory = Files.createTempDirectory("streamer-it-pulse-");
        Process daemon = startDaemon(directory);
        try (LoopbackReceiver receiver = LoopbackReceiver.start();
             StreamerProcess streamer = StreamerProcess.stream("--host", "127.0.0.1", "--port", Integer.toString(receiver.port()),
                     "--source", "pulse", "--device", "private_sink.monitor", "--set", "source.server=unix:" + directory.resolve("native"))) {
            receiver.awaitBytes(48_000 * 4, Duration.ofSeconds(15), streamer::diagnostics); // a second of audio: streaming

            daemon.destroyForcibly();
            assertThat(daemon.waitFor(10, TimeUnit.SECONDS)).isTrue();

            assertThat(streamer.awaitExit(Duration.ofSeconds(10))).as("exit code; stderr:\n%s", streamer.stderr()).isEqualTo(1);
            assertThat(streamer.stderr()).contains("PulseAudio stopped recording from private_sink.monitor")
                    .contains("the connection to the server ended");
        } finally {
            daemon.destroyForcibly();
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** A PulseAudio with a null sink and a keep-alive loopback from its monitor, as the shared peers have. */
    private static Process startDaemon(Path directory) throws IOException, InterruptedException {
        Files.createDirectories(directory.resolve("state"));
        ProcessBuilder builder = new ProcessBuilder("pulseaudio", "--daemonize=no", "--system=no", "-n", "--exit-idle-time=-1",
                "--realtime=no", "--high-priority=no", "--use-pid-file=no", "--log-target=stderr", "--log-level=error",
                "-L", "module-native-protocol-unix socket=" + directory.resolve("native") + " auth-anonymous=1",
                "-L", "module-null-sink sink_name=private_sink format=s16le rate=48000 channels=2",
                "-L", "module-null-sink sink_name=private_keepalive format=s16le rate=48000 channels=2",
                "-L", "module-loopback source=private_sink.monitor sink=private_keepalive latency_msec=20")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(directory.resolve("daemon.log").toFile());
        builder.environment().put("PULSE_RUNTIME_PATH", directory.toString());
        builder.environment().put("PULSE_STATE_PATH", directory.resolve("state").toString());
        Process daemon = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(directory.resolve("native"))) {
            if (!daemon.isAlive() || System.nanoTime() > deadline) {
                daemon.destroyForcibly();
                fail("a private pulseaudio did not come up: " + Files.readString(directory.resolve("daemon.log")));
            }
            Thread.sleep(50);
        }
        return daemon;
    }
}
