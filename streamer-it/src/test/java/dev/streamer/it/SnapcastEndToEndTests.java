package dev.streamer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole chain with real peers: a tone played into PulseAudio's null sink, captured by the
 * image's Java Sound source from ALSA {@code default}, sent by the tcp transport into snapserver's
 * TCP source, encoded (flac) and played by snapclient into a file, where the tone must come out.
 */
class SnapcastEndToEndTests {
    /** snapserver remembers clients by this id (volume, mute, group) across runs: see {@link Snapserver#unmute}. */
    private static final String CLIENT_ID = "streamer-it-e2e";
    private static final int RATE = PulsePlayer.RATE;

    @TempDir
    Path temp;

    @BeforeAll
    static void peers() {
        Peers.launcher();
        Peers.requireTools("sox", "kill");
        Peers.requirePulse();
        Peers.requireSnapserver();
    }

    /** Nobody else may feed the TCP source, and a previous test's stream must have ended. */
    private static void snapserverSourceIsFree() {
        boolean free = Poll.within(Duration.ofSeconds(10), () -> Snapserver.streamStatus(Peers.SNAP_STREAM_ID).equals("idle")
                && Sockets.toPort(Peers.SNAP_SOURCE_PORT).stream().noneMatch(s -> s.state().equals("ESTAB")));
        if (!free) {
            Peers.unavailable("snapserver's TCP source on port " + Peers.SNAP_SOURCE_PORT + " is in use by someone else: stream "
                    + Snapserver.streamStatus(Peers.SNAP_STREAM_ID) + ", sockets " + Sockets.toPort(Peers.SNAP_SOURCE_PORT));
        }
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {440, 1000})
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void snapclientPlaysTheToneThatStreamerCaptured(int hz) throws Exception {
        int[] attempt = {0};
        SinkWatch.retryWhileDisturbed("snapcast " + hz + " Hz", 3, () -> {
            snapserverSourceIsFree();
            streamTheToneOnce(hz, ++attempt[0]);
        });
    }

    private void streamTheToneOnce(int hz, int attempt) throws IOException {
        Process snapclient = null;
        Path played = temp.resolve("snapclient-" + hz + "hz-" + attempt + ".raw");
        Path snapclientLog = temp.resolve("snapclient-" + hz + "hz-" + attempt + ".log");
        try (PulsePlayer tone = PulsePlayer.loop(PulsePlayer.sine(hz, -6));
             StreamerProcess streamer = StreamerProcess.start("stream", "--port", Integer.toString(Peers.SNAP_SOURCE_PORT),
                     "--status", "json")) {
            streamer.awaitState("streaming", Duration.ofSeconds(20));
            tone.assertPlaying();
            long jvm = streamer.jvm().pid();
            AtomicReference<Sockets.Socket> link = new AtomicReference<>();
            Poll.until(Duration.ofSeconds(5), "streamer's connection to port " + Peers.SNAP_SOURCE_PORT + " in ss", () -> {
                link.set(Sockets.toPort(Peers.SNAP_SOURCE_PORT).stream()
                        .filter(s -> s.state().equals("ESTAB") && s.process().contains("pid=" + jvm + ",")).findFirst().orElse(null));
                return link.get() != null;
            }, () -> Sockets.involving(Peers.SNAP_SOURCE_PORT) + "\n" + streamer.diagnostics());
            Poll.until(Duration.ofSeconds(10), "snapserver stream " + Peers.SNAP_STREAM_ID + " playing",
                    () -> Snapserver.streamStatus(Peers.SNAP_STREAM_ID).equals("playing"), streamer::diagnostics);

            // --latency 0 and --mixer none: no device latency to compensate, no software volume. Mute
            // is applied even so, hence unmute(). The file player writes in real time, starting with
            // silence until snapserver's buffer (1000 ms) has been played out: so the test waits for
            // the tone in the file, however long that takes, instead of assuming a delay.
            snapclient = new ProcessBuilder("snapclient", "-h", "127.0.0.1", "-p", Integer.toString(Peers.SNAP_STREAM_PORT),
                    "--hostID", CLIENT_ID, "--latency", "0", "--mixer", "none", "--player", "file:filename=" + played,
                    "--logsink", "stderr", "--logfilter", "*:info")
                    .redirectErrorStream(true).redirectOutput(snapclientLog.toFile()).start();
            Process client = snapclient;
            Poll.until(Duration.ofSeconds(10), "snapclient " + CLIENT_ID + " connected to snapserver",
                    () -> Snapserver.client(CLIENT_ID).map(Snapserver.ClientInGroup::connected).orElse(false),
                    () -> log(snapclientLog));
            Snapserver.unmute(Snapserver.client(CLIENT_ID).orElseThrow(), Peers.SNAP_STREAM_ID);

            int[] tonePart = new int[2];
            AtomicReference<short[]> left = new AtomicReference<>(new short[0]);
            Poll.until(Duration.ofSeconds(20), "1.5 s of uninterrupted tone in snapclient's output " + played, () -> {
                if (!client.isAlive()) {
                    return true; // reported below
                }
                byte[] pcm = Peers.readIfExists(played);
                left.set(Pcm.channel(pcm, pcm.length - pcm.length % 4, 2, 0));
                int[] run = Pcm.loudestRun(left.get(), RATE / 100, 0.05);
                System.arraycopy(run, 0, tonePart, 0, 2);
                return run[1] - run[0] >= RATE * 3 / 2;
            }, () -> "loudest part: frames " + tonePart[0] + ".." + tonePart[1] + " of " + left.get().length + "\n"
                    + log(snapclientLog) + "\n" + streamer.diagnostics());
            assertThat(client.isAlive()).as("snapclient running\n%s", log(snapclientLog)).isTrue();
            Peers.killTree(snapclient);

            // One steady second from the middle of the tone, left channel (right for the level only).
            byte[] pcm = Files.readAllBytes(played);
            short[] l = Pcm.channel(pcm, pcm.length - pcm.length % 4, 2, 0);
            short[] r = Pcm.channel(pcm, pcm.length - pcm.length % 4, 2, 1);
            int middle = (tonePart[0] + tonePart[1]) / 2;
            int from = middle - RATE / 2;
            int to = middle + RATE / 2;
            double frequency = Pcm.zeroCrossingHz(l, from, to, RATE);
            double share = Pcm.powerShareAt(l, from, to, hz, RATE);
            double rmsLeft = Pcm.rms(l, from, to);
            double rmsRight = Pcm.rms(r, from, to);
            System.out.printf(Locale.ROOT, "[snapcast %d Hz] snapclient played %.2f s, tone in %.2f..%.2f s: %.1f Hz, %.1f%% of the power"
                            + " at %d Hz, RMS L %.3f R %.3f (a -6 dBFS sine: 0.354)%n", hz, l.length / (double) RATE,
                    tonePart[0] / (double) RATE, tonePart[1] / (double) RATE, frequency, share * 100, hz, rmsLeft, rmsRight);
            assertThat(frequency).as("dominant frequency (zero crossings)").isCloseTo(hz, withinPercentage(3));
            assertThat(share).as("share of the power at %d Hz (Goertzel)", hz).isGreaterThan(0.5);
            // 0 dB all the way: PulseAudio at 100 %, raw PCM, lossless flac, no mixer
            assertThat(rmsLeft).as("RMS left").isBetween(0.25, 0.45);
            assertThat(rmsRight).as("RMS right").isBetween(0.25, 0.45);

            // Ctrl-C: a clean stop, a FIN to snapserver, and its stream goes idle.
            streamer.signal("INT");
            assertThat(streamer.awaitExit(Duration.ofSeconds(10))).as("exit code after SIGINT\n%s", streamer.diagnostics()).isZero();
            List<String> states = streamer.states().stream().map(e -> e.path("state").asString()).toList();
            assertThat(states).as("state events").startsWith("connecting", "streaming").endsWith("stopped").doesNotContain("failed");
            Poll.until(Duration.ofSeconds(10), "snapserver stream " + Peers.SNAP_STREAM_ID + " idle after the stop",
                    () -> Snapserver.streamStatus(Peers.SNAP_STREAM_ID).equals("idle"), streamer::diagnostics);
            int localPort = link.get().localPort();
            // Our side is closed (snapserver 0.26 keeps its own side in CLOSE-WAIT until the next
            // connection, so ours may sit in FIN-WAIT-2: the kernel's, with no process).
            Poll.until(Duration.ofSeconds(10), "no ESTAB/CLOSE-WAIT left of streamer's connection from port " + localPort,
                    () -> Sockets.toPort(Peers.SNAP_SOURCE_PORT).stream().filter(s -> s.localPort() == localPort)
                            .noneMatch(s -> s.state().equals("ESTAB") || s.state().equals("CLOSE-WAIT")),
                    () -> Sockets.involving(Peers.SNAP_SOURCE_PORT).toString());
            assertThat(Sockets.all()).as("sockets of the stopped JVM").noneMatch(s -> s.process().contains("pid=" + jvm + ","));
        } finally {
            Peers.killTree(snapclient);
        }
    }

    private static String log(Path file) {
        return "--- snapclient log ---\n" + new String(Peers.readIfExists(file), java.nio.charset.StandardCharsets.UTF_8);
    }
}
