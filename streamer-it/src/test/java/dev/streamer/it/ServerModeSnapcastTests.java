package dev.streamer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Server mode with the receiver that motivated it: snapserver's TCP source in {@code mode=client}
 * connects to streamer (instead of streamer connecting to it), and plays what streamer captured.
 * A private snapserver on ports of its own; the shared one is not touched.
 */
class ServerModeSnapcastTests {
    private static final String CLIENT_ID = "streamer-it-server-mode";
    private static final int RATE = PulsePlayer.RATE;

    @TempDir
    Path temp;

    @BeforeAll
    static void peers() {
        Peers.launcher();
        Peers.requireTools("snapserver", "snapclient", "sox", "kill");
        Peers.requirePulse();
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void snapserversClientModeSourceConnectsToStreamerAndPlaysTheTone() throws Exception {
        int[] attempt = {0};
        SinkWatch.retryWhileDisturbed("server mode snapcast", 3, () -> streamOnce(440, ++attempt[0]));
    }

    private void streamOnce(int hz, int attempt) throws Exception {
        Path dir = Files.createDirectories(temp.resolve("attempt-" + attempt));
        int port = ServerModePeers.freePort();
        Path played = dir.resolve("snapclient.raw");
        Path snapclientLog = dir.resolve("snapclient.log");
        Process snapclient = null;
        try (ServerModePeers.OwnSnapserver snap = ServerModePeers.OwnSnapserver.start(dir, port);
             PulsePlayer tone = PulsePlayer.loop(PulsePlayer.sine(hz, -6));
             StreamerProcess streamer = StreamerProcess.start("stream", "--set", "transport.mode=server",
                     "--set", "transport.listenAddress=127.0.0.1", "--port", Integer.toString(port), "--status", "json")) {
            JsonNode streaming = streamer.awaitState("streaming", Duration.ofSeconds(20)).json();
            tone.assertPlaying();
            String id = ServerModePeers.OwnSnapserver.STREAM_ID;
            // snapserver retries its connection about once a second: it finds the listener, sends nothing, and is a raw PCM client
            Poll.until(Duration.ofSeconds(10), "snapserver connected to streamer as a raw PCM client",
                    () -> streamer.stderr().contains("connected: raw PCM"), () -> streamer.diagnostics() + "\n" + snap.log());
            Poll.until(Duration.ofSeconds(10), "our snapserver's stream " + id + " playing",
                    () -> snap.streamStatus(id).equals("playing"), () -> streamer.diagnostics() + "\n" + snap.log());
            streamer.awaitEvent("a status snapshot", Duration.ofSeconds(5), e -> e.event().equals("status")); // one a second
            assertThat(streamer.statuses()).as("status events\n%s", streamer.diagnostics()).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.path("target").asString()).isEqualTo("tcp-server://127.0.0.1:" + port));
            System.out.printf(Locale.ROOT, "[server mode snapcast] streaming: %s; snapserver %s playing%n",
                    streaming.path("detail").asString(), id);

            // what snapserver plays is the tone: a snapclient of our snapserver writes it to a file
            int streamPort = Integer.parseInt(Files.readString(dir.resolve("snapserver.conf")).lines()
                    .dropWhile(l -> !l.equals("[stream]")).filter(l -> l.startsWith("port = ")).findFirst().orElseThrow()
                    .substring("port = ".length()));
            snapclient = new ProcessBuilder("snapclient", "-h", "127.0.0.1", "-p", Integer.toString(streamPort),
                    "--hostID", CLIENT_ID, "--latency", "0", "--mixer", "none", "--player", "file:filename=" + played,
                    "--logsink", "stderr", "--logfilter", "*:info")
                    .redirectErrorStream(true).redirectOutput(snapclientLog.toFile()).start();
            Process client = snapclient;
            int[] tonePart = new int[2];
            AtomicReference<short[]> left = new AtomicReference<>(new short[0]);
            Poll.until(Duration.ofSeconds(20), "1.5 s of uninterrupted tone in snapclient's output", () -> {
                if (!client.isAlive()) {
                    return true;
                }
                byte[] pcm = Peers.readIfExists(played);
                left.set(Pcm.channel(pcm, pcm.length - pcm.length % 4, 2, 0));
                int[] run = Pcm.loudestRun(left.get(), RATE / 100, 0.05);
                System.arraycopy(run, 0, tonePart, 0, 2);
                return run[1] - run[0] >= RATE * 3 / 2;
            }, () -> "loudest part " + tonePart[0] + ".." + tonePart[1] + "\n" + text(snapclientLog) + "\n" + streamer.diagnostics());
            assertThat(client.isAlive()).as("snapclient running\n%s", text(snapclientLog)).isTrue();
            Peers.killTree(snapclient);
            short[] l = left.get();
            int middle = (tonePart[0] + tonePart[1]) / 2;
            double frequency = Pcm.zeroCrossingHz(l, middle - RATE / 2, middle + RATE / 2, RATE);
            double share = Pcm.powerShareAt(l, middle - RATE / 2, middle + RATE / 2, hz, RATE);
            System.out.printf(Locale.ROOT, "[server mode snapcast] snapclient played %.1f Hz, %.1f%% of the power at %d Hz%n",
                    frequency, share * 100, hz);
            assertThat(frequency).isCloseTo(hz, withinPercentage(3));
            assertThat(share).isGreaterThan(0.5);

            // a clean stop closes the client connection; snapserver's source goes idle (and keeps retrying)
            streamer.signal("INT");
            assertThat(streamer.awaitExit(Duration.ofSeconds(10))).as("exit code\n%s", streamer.diagnostics()).isZero();
            assertThat(streamer.stderr()).contains("streaming: listening on 127.0.0.1:" + port + "\n")
                    .containsPattern("stopped listening on 127\\.0\\.0\\.1:" + port + ": clients served [1-9]");
            Poll.until(Duration.ofSeconds(10), "stream " + id + " idle after the stop", () -> snap.streamStatus(id).equals("idle"),
                    snap::log);
        } finally {
            Peers.killTree(snapclient);
        }
    }

    private static String text(Path file) {
        return "--- " + file.getFileName() + " ---\n" + new String(Peers.readIfExists(file), java.nio.charset.StandardCharsets.UTF_8);
    }
}
