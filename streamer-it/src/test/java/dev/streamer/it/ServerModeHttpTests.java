package dev.streamer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server mode for players: ffmpeg records {@code http://.../stream.wav} (and the raw PCM at
 * {@code tcp://...}) into a valid WAV with the tone played into the sink; curl sees the HTTP
 * answers. The image listens on 127.0.0.1 only.
 */
class ServerModeHttpTests {
    private static final int RATE = PulsePlayer.RATE;

    @TempDir
    Path temp;

    @BeforeAll
    static void peers() {
        Peers.launcher();
        Peers.requireTools("ffmpeg", "curl", "sox", "kill");
        Peers.requirePulse();
    }

    private static StreamerProcess startServer(int port) {
        return StreamerProcess.start("stream", "--set", "transport.mode=server", "--set", "transport.listenAddress=127.0.0.1",
                "--port", Integer.toString(port), "--status", "json");
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void ffmpegRecordsTheToneFromStreamWav() throws Exception {
        int[] attempt = {0};
        SinkWatch.retryWhileDisturbed("server mode http", 3, () -> record(1000, "http", ++attempt[0]));
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void ffmpegRecordsTheToneAsRawPcmOverTcp() throws Exception {
        int[] attempt = {0};
        SinkWatch.retryWhileDisturbed("server mode raw tcp", 3, () -> record(440, "tcp", ++attempt[0]));
    }

    private void record(int hz, String scheme, int attempt) throws Exception {
        int port = ServerModePeers.freePort();
        Path out = temp.resolve(scheme + "-" + hz + "hz-" + attempt + ".wav");
        try (PulsePlayer tone = PulsePlayer.loop(PulsePlayer.sine(hz, -6));
             StreamerProcess streamer = startServer(port)) {
            streamer.awaitState("streaming", Duration.ofSeconds(20));
            tone.assertPlaying();
            String input = scheme.equals("http") ? "http://127.0.0.1:" + port + "/stream.wav" : "tcp://127.0.0.1:" + port;
            String[] command = scheme.equals("http")
                    ? new String[] {"ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", input, "-t", "2", out.toString()}
                    : new String[] {"ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "s16le", "-ar", "48000", "-ac", "2",
                        "-i", input, "-t", "2", out.toString()};
            Peers.Result ffmpeg = Peers.run(Duration.ofSeconds(60), command);
            assertThat(ffmpeg.exitCode()).as("ffmpeg %s\n%s\n%s", input, ffmpeg, streamer.diagnostics()).isZero();
            assertThat(streamer.stderr()).contains(scheme.equals("http") ? "connected: HTTP WAV, WAV s16le 2ch 48000 Hz" : "connected: raw PCM");

            ServerModePeers.Wav wav = ServerModePeers.Wav.parse(Files.readAllBytes(out));
            assertThat(wav.format()).as("WAVE_FORMAT_PCM").isEqualTo(1);
            assertThat(wav.channels()).isEqualTo(2);
            assertThat(wav.sampleRate()).isEqualTo(RATE);
            assertThat(wav.bits()).isEqualTo(16);
            assertThat(wav.data().length).as("2 s of 48000:16:2").isEqualTo(2 * RATE * 4);
            short[] left = Pcm.channel(wav.data(), wav.data().length, 2, 0);
            short[] right = Pcm.channel(wav.data(), wav.data().length, 2, 1);
            // the last second: the first may still hold the silence from before the tone reached the sink
            double frequency = Pcm.zeroCrossingHz(left, RATE, 2 * RATE, RATE);
            double share = Pcm.powerShareAt(left, RATE, 2 * RATE, hz, RATE);
            double rms = Pcm.rms(left, RATE, 2 * RATE);
            System.out.printf(Locale.ROOT, "[server mode %s] ffmpeg recorded %d bytes: %.1f Hz, %.1f%% of the power at %d Hz,"
                    + " RMS L %.3f R %.3f%n", scheme, wav.data().length, frequency, share * 100, hz, rms, Pcm.rms(right, RATE, 2 * RATE));
            assertThat(frequency).isCloseTo(hz, withinPercentage(3));
            assertThat(share).isGreaterThan(0.5);
            assertThat(rms).as("a -6 dBFS sine").isBetween(0.25, 0.45);

            streamer.signal("INT");
            assertThat(streamer.awaitExit(Duration.ofSeconds(10))).as("exit code\n%s", streamer.diagnostics()).isZero();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void curlSeesTheHeadersOfHeadAnd404And405() throws Exception {
        int port = ServerModePeers.freePort();
        try (StreamerProcess streamer = startServer(port)) {
            streamer.awaitState("streaming", Duration.ofSeconds(20));
            String base = "http://127.0.0.1:" + port;

            Peers.Result head = Peers.run(Duration.ofSeconds(10), "curl", "-sS", "-I", "--max-time", "5", base + "/stream.wav");
            assertThat(head.exitCode()).as("%s", head).isZero();
            assertThat(head.stdout()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nCache-Control: no-cache\r\n"
                    + "Connection: close\r\n\r\n");

            Peers.Result missing = Peers.run(Duration.ofSeconds(10), "curl", "-sS", "-i", "--max-time", "5", base + "/index.html");
            assertThat(missing.exitCode()).as("%s", missing).isZero();
            assertThat(missing.stdout()).startsWith("HTTP/1.1 404 Not Found\r\n").contains("Connection: close\r\n")
                    .endsWith("\r\n\r\nNot found. The audio stream is at /stream.wav.\n");

            Peers.Result post = Peers.run(Duration.ofSeconds(10), "curl", "-sS", "-i", "--max-time", "5", "-X", "POST", "-d", "x",
                    base + "/stream.wav");
            assertThat(post.exitCode()).as("%s", post).isZero();
            assertThat(post.stdout()).startsWith("HTTP/1.1 405 Method Not Allowed\r\n").contains("Allow: GET, HEAD\r\n");

            Peers.Result code = Peers.run(Duration.ofSeconds(10), "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                    "--max-time", "5", "http://[::1]:" + port + "/stream.wav");
            // listening on 127.0.0.1 only: ::1 is refused (curl reports 000)
            assertThat(code.stdout()).isEqualTo("000");
            assertThat(streamer.stderr()).contains("answered HEAD from 127.0.0.1:", "answered 404 Not Found to 127.0.0.1:",
                    "answered 405 Method Not Allowed to 127.0.0.1:");

            streamer.signal("INT");
            assertThat(streamer.awaitExit(Duration.ofSeconds(10))).as("exit code\n%s", streamer.diagnostics()).isZero();
        }
    }
}
