package dev.streamer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, exactly as written, on this machine and on one without a capture
 * device: it serves the stream, says where to listen, and a player gets audio from there.
 */
class FirstRunTests {
    private static final Path README = Path.of("..", "README.md");
    private static final String IMAGE_LAUNCHER = "streamer-dist/target/maven-jlink/default/bin/streamer";
    private static final Pattern LISTEN_HINT = Pattern.compile("listen: open (http://\\S+/stream\\.wav) in a browser");
    private static final int RATE = 48_000;

    @TempDir
    Path temp;

    /** The arguments of the README's first command: the first {@code bin/streamer} line of its Quick start. */
    static List<String> firstCommand() throws IOException {
        String readme = Files.readString(README);
        String quickStart = readme.substring(readme.indexOf("## Quick start"));
        String line = quickStart.lines().filter(l -> l.contains(IMAGE_LAUNCHER)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + IMAGE_LAUNCHER + " in the README's Quick start"));
        String command = line.substring(line.indexOf(IMAGE_LAUNCHER) + IMAGE_LAUNCHER.length()).strip();
        return Arrays.asList(command.split("\\s+"));
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void theReadmesFirstCommandServesWhatThisMachineCapturesAndSaysWhereToListen() throws Exception {
        Peers.requirePulse();
        Peers.requireTools("ffmpeg");
        try (StreamerProcess streamer = StreamerProcess.start(firstCommand().toArray(String[]::new))) {
            String url = awaitListenHint(streamer);
            ServerModePeers.Wav wav = record(url, streamer);
            assertThat(wav.data().length).as("1 s of 48000:16:2").isEqualTo(RATE * 4);
            assertThat(streamer.stderr()).as("it captured a device, no fallback").doesNotContain("test tone");
            stop(streamer);
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void withoutACaptureDeviceItSaysSoAndServesATestTone() throws Exception {
        Peers.requireTools("ffmpeg");
        Path noDevices = Files.writeString(temp.resolve("asound.conf"), "# ALSA with no device at all, like a server without a sound card\n");
        // and no sound server for the pulse source: a server without a sound card runs none
        try (StreamerProcess streamer = StreamerProcess.start(Map.of("ALSA_CONFIG_PATH", noDevices.toString(),
                "PULSE_SERVER", "unix:" + temp.resolve("no-pulse-server")),
                firstCommand().toArray(String[]::new))) {
            String url = awaitListenHint(streamer);
            assertThat(streamer.stderr()).contains("WARN  no capture device on this machine", "streaming a test tone from the 'signal'"
                    + " source instead");
            ServerModePeers.Wav wav = record(url, streamer);
            short[] left = Pcm.channel(wav.data(), wav.data().length, 2, 0);
            double frequency = Pcm.zeroCrossingHz(left, 0, RATE, RATE);
            double share = Pcm.powerShareAt(left, 0, RATE, 440, RATE);
            System.out.printf(Locale.ROOT, "[first run, no capture device] %s served %.1f Hz, %.1f%% of the power at 440 Hz%n", url,
                    frequency, share * 100);
            assertThat(frequency).isCloseTo(440, withinPercentage(3));
            assertThat(share).isGreaterThan(0.9);
            stop(streamer);
        }
    }

    private static String awaitListenHint(StreamerProcess streamer) {
        boolean hinted = Poll.within(Duration.ofSeconds(20), () -> LISTEN_HINT.matcher(streamer.stderr()).find());
        assertThat(hinted).as("it says where to listen\n%s", streamer.diagnostics()).isTrue();
        Matcher hint = LISTEN_HINT.matcher(streamer.stderr());
        assertThat(hint.find()).isTrue();
        return hint.group(1);
    }

    /** Record 1 s from {@code url} with ffmpeg, as the hint suggests a player would. */
    private ServerModePeers.Wav record(String url, StreamerProcess streamer) throws IOException {
        Path out = temp.resolve("first-run.wav");
        Peers.Result ffmpeg = Peers.run(Duration.ofSeconds(30), "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                "-i", url, "-t", "1", out.toString());
        assertThat(ffmpeg.exitCode()).as("ffmpeg %s\n%s\n%s", url, ffmpeg, streamer.diagnostics()).isZero();
        ServerModePeers.Wav wav = ServerModePeers.Wav.parse(Files.readAllBytes(out));
        assertThat(wav.sampleRate()).isEqualTo(RATE);
        assertThat(wav.channels()).isEqualTo(2);
        assertThat(wav.bits()).isEqualTo(16);
        return wav;
    }

    private static void stop(StreamerProcess streamer) {
        streamer.signal("INT"); // Ctrl-C, as the README says
        assertThat(streamer.awaitExit(Duration.ofSeconds(10))).as("exit code\n%s", streamer.diagnostics()).isZero();
    }
}
