package dev.streamer.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code signal}, {@code file} and {@code stdin} sources of the image, streamed to a plain
 * receiver on loopback: every byte that arrives is exactly what the source produced. No sound card
 * and no audio peer is needed, so these run everywhere the image runs.
 *
 * <p>The signal and file sources start playing when they open, before the first connection; the
 * engine discards audio older than its latency target while it connects, so on a slow start the
 * receiver may get the stream from a little after its beginning. The tests therefore compare what
 * arrived with the exact end of the expected stream: same bytes, frame-aligned, ending exactly where
 * the source ended (with the one-second latency target of their profile, usually from byte 0). The
 * stdin test feeds its bytes after the connection, so there every byte must arrive.
 */
class SourcePluginsEndToEndTests {
    private static final Duration RUN = Duration.ofSeconds(30);

    @TempDir
    static Path temp;

    /**
     * A profile with a latency target of a second: a loaded machine that stalls streamer for more
     * than the default target would otherwise have the engine drop the backlog, as it should live.
     */
    private static Path config;

    @BeforeAll
    static void image() throws IOException {
        Peers.launcher();
        config = Files.writeString(temp.resolve("exact.json"), "{\"profiles\": {\"exact\": {\"latencyTargetMillis\": 1000}}}");
    }

    private static String[] exact(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString(), "--profile", "exact"));
        return all.toArray(String[]::new);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void pluginsListsTheSignalFileAndStdinSources() {
        Peers.Result result = StreamerProcess.run(RUN, "plugins");
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout().lines()).as("%s", result)
                .anyMatch(line -> line.matches("source\\s+signal\\s+dev\\.streamer\\.source\\.signal\\s.*"))
                .anyMatch(line -> line.matches("source\\s+file\\s+dev\\.streamer\\.source\\.javasound\\s.*"))
                .anyMatch(line -> line.matches("source\\s+stdin\\s+dev\\.streamer\\.source\\.stdin\\s.*"));
    }

    @ParameterizedTest(name = "{0} bits, {1} channels")
    @CsvSource({"16, 2", "24, 1"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theSignalSourceArrivesBitExactAndEndsByItself(int bits, int channels) throws Exception {
        int rate = 48_000;
        double seconds = 2;
        byte[] expected = sine(997, -3, rate, bits, channels, (int) (seconds * rate));

        try (LoopbackReceiver receiver = LoopbackReceiver.start();
             StreamerProcess streamer = StreamerProcess.start(exact("stream", "--source", "signal", "--set", "source.frequencyHz=997",
                     "--set", "source.levelDbfs=-3", "--set", "source.durationSeconds=" + seconds, "--bits", Integer.toString(bits),
                     "--channels", Integer.toString(channels), "--host", "127.0.0.1", "--port", Integer.toString(receiver.port()),
                     "--status", "json"))) {
            assertThat(receiver.awaitEof(Duration.ofSeconds(30))).as("FIN after the last byte\n%s", streamer.diagnostics()).isTrue();
            byte[] received = receiver.bytes();
            assertTailOf(expected, received, (bits == 24 ? 4 : bits / 8) * channels, rate, "signal");
            assertThat(streamer.awaitExit(Duration.ofSeconds(10))).as("exit code after the signal ended\n%s", streamer.diagnostics()).isZero();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theFileSourceStreamsTheFileExactlyAndStopsAtItsEnd() throws Exception {
        byte[] pcm = noise(11, 48_000 * 3 / 2 * 4); // 1.5 s of 48000:16:2
        Path wav = writeWav(temp.resolve("noise.wav"), new AudioFormat(48_000, 16, 2, true, false), pcm);

        try (LoopbackReceiver receiver = LoopbackReceiver.start();
             StreamerProcess streamer = StreamerProcess.start(exact("stream", "--source", "file", "--set", "source.path=" + wav,
                     "--host", "127.0.0.1", "--port", Integer.toString(receiver.port()), "--status", "json"))) {
            assertThat(receiver.awaitEof(Duration.ofSeconds(30))).as("FIN after the last byte\n%s", streamer.diagnostics()).isTrue();
            byte[] received = receiver.bytes();
            assertTailOf(pcm, received, 4, 48_000, "file");
            assertThat(streamer.awaitExit(Duration.ofSeconds(10))).as("exit code after the end of the file\n%s", streamer.diagnostics()).isZero();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFileAtAnotherRateOrAMissingFileIsRefusedWithTheReason() throws Exception {
        Path cd = writeWav(temp.resolve("cd.wav"), new AudioFormat(44_100, 16, 2, true, false), noise(12, 44_100 * 4));
        Peers.Result otherRate = StreamerProcess.run(RUN, "stream", "--source", "file", "--set", "source.path=" + cd, "--port", "9");
        assertThat(otherRate.exitCode()).as("%s", otherRate).isEqualTo(1);
        assertThat(otherRate.stderr()).as("%s", otherRate).contains("the source delivers 44100 Hz but the wire format is 48000 Hz");

        Path missing = temp.resolve("missing.wav");
        Peers.Result absent = StreamerProcess.run(RUN, "stream", "--source", "file", "--set", "source.path=" + missing, "--port", "9");
        assertThat(absent.exitCode()).as("%s", absent).isEqualTo(1);
        assertThat(absent.stderr()).as("%s", absent).contains("file: " + missing + " does not exist");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void bytesPipedIntoTheStdinSourceArriveExactly() throws Exception {
        byte[] pcm = noise(13, 48_000 * 3 / 2 * 4); // 1.5 s of 48000:16:2
        try (LoopbackReceiver receiver = LoopbackReceiver.start();
             Piped streamer = Piped.start(exact("stream", "--source", "stdin", "--host", "127.0.0.1",
                     "--port", Integer.toString(receiver.port()), "--status", "none"))) {
            assertThat(receiver.awaitConnection(Duration.ofSeconds(20))).as("connected\n%s", streamer.diagnostics()).isTrue();
            // like parec: about real time, in pieces that split frames (1999 bytes, 10.4 ms)
            try (OutputStream stdin = streamer.stdin()) {
                for (int at = 0; at < pcm.length; at += 1999) {
                    stdin.write(pcm, at, Math.min(1999, pcm.length - at));
                    stdin.flush();
                    Poll.pause(10);
                }
            } // end of input: the source ends, the engine sends the rest and stops
            assertThat(receiver.awaitEof(Duration.ofSeconds(20))).as("FIN after the last byte\n%s", streamer.diagnostics()).isTrue();
            byte[] received = receiver.bytes();
            assertThat(received.length).as("bytes received of %d\n%s", pcm.length, streamer.diagnostics()).isEqualTo(pcm.length);
            assertThat(Pcm.matchingBytes(pcm, 0, pcm.length, received, 0, received.length)).as("bytes equal from the first").isEqualTo(pcm.length);
            assertThat(streamer.awaitExit(Duration.ofSeconds(10))).as("exit code after the end of input\n%s", streamer.diagnostics()).isZero();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sigtermStopsTheStdinSourceWhileItWaitsForInput() throws Exception {
        try (LoopbackReceiver receiver = LoopbackReceiver.start();
             Piped streamer = Piped.start("stream", "--source", "stdin", "--host", "127.0.0.1",
                     "--port", Integer.toString(receiver.port()), "--status", "none")) {
            assertThat(receiver.awaitConnection(Duration.ofSeconds(20))).as("connected\n%s", streamer.diagnostics()).isTrue();
            // standard input stays open and silent: the pump thread is blocked in read(2)
            long start = System.nanoTime();
            Peers.Result kill = Peers.run(Duration.ofSeconds(5), "kill", "-TERM", Long.toString(streamer.pid()));
            assertThat(kill.exitCode()).as("%s", kill).isZero();
            assertThat(streamer.awaitExit(Duration.ofSeconds(10))).as("exit code after SIGTERM\n%s", streamer.diagnostics()).isZero();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).as("from SIGTERM to exit\n%s", streamer.diagnostics()).isLessThan(3_000);
            assertThat(streamer.stderr()).as("closing standard input woke the pump").doesNotContain("still blocked");
        }
    }

    /** Assert that {@code received} is the end of {@code expected}: frame-aligned, byte for byte, to its last byte. */
    private static void assertTailOf(byte[] expected, byte[] received, int frameBytes, int rate, String what) {
        int skipped = expected.length - received.length;
        double skippedMillis = skipped / (double) frameBytes * 1000 / rate;
        System.out.printf(Locale.ROOT, "[%s] %d of %d bytes received exactly; %.1f ms at the start discarded as stale while connecting%n",
                what, received.length, expected.length, skippedMillis);
        assertThat(skipped).as("bytes of the start not received (stale while connecting)").isNotNegative();
        assertThat(skipped % frameBytes).as("whole frames skipped").isZero();
        double totalMillis = expected.length / (double) frameBytes * 1000 / rate;
        assertThat(skippedMillis).as("ms skipped at the start: at least the last 500 ms arrive").isLessThanOrEqualTo(totalMillis - 500);
        int matching = Pcm.matchingBytes(expected, skipped, expected.length, received, 0, received.length);
        assertThat(matching).as("bytes equal to the %s's own output, from the first received to its end", what).isEqualTo(received.length);
    }

    /**
     * The signal source's sine, computed here from its documented formula: the phase in cycles
     * starts at 0 and advances by f/rate per frame (minus 1 when it reaches 1); a sample is
     * {@code round(10^(dB/20) · sin(2π·phase) · (2^(bits-1) - 1))}, the same on every channel,
     * little-endian, 24 bits in 4 bytes; the sine is reduced to ±π/4 and computed with StrictMath.
     */
    static byte[] sine(double hz, double dbfs, int rate, int bits, int channels, int frames) {
        int container = bits == 24 ? 4 : bits / 8;
        byte[] out = new byte[frames * channels * container];
        double amplitude = StrictMath.pow(10, dbfs / 20);
        double scale = (1L << (bits - 1)) - 1;
        double phase = 0;
        int at = 0;
        for (int n = 0; n < frames; n++) {
            double x = amplitude * sinCycles(phase);
            phase += hz / rate;
            if (phase >= 1) {
                phase -= 1;
            }
            int value = (int) Math.round(x * scale);
            for (int c = 0; c < channels; c++) {
                for (int b = 0; b < container; b++) {
                    out[at++] = (byte) (value >> (8 * b));
                }
            }
        }
        return out;
    }

    private static double sinCycles(double cycles) {
        double r = cycles - Math.floor(cycles);
        double quarters = Math.floor(r * 4 + 0.5);
        double x = 2 * Math.PI * (r - quarters / 4);
        return switch ((int) quarters & 3) {
            case 0 -> StrictMath.sin(x);
            case 1 -> StrictMath.cos(x);
            case 2 -> 0.0 - StrictMath.sin(x);
            default -> -StrictMath.cos(x);
        };
    }

    static byte[] noise(long seed, int bytes) {
        byte[] data = new byte[bytes];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }

    static Path writeWav(Path file, AudioFormat format, byte[] pcm) throws IOException {
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), format, pcm.length / format.getFrameSize())) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
        return file;
    }

    /** {@code bin/streamer} with standard input from the test and output to files (StreamerProcess reads /dev/null). */
    static final class Piped implements AutoCloseable {
        private final Process process;
        private final Path out;
        private final Path err;
        private final List<String> command;

        private Piped(Process process, Path out, Path err, List<String> command) {
            this.process = process;
            this.out = out;
            this.err = err;
            this.command = command;
        }

        static Piped start(String... args) throws IOException {
            List<String> command = new java.util.ArrayList<>();
            command.add(Peers.launcher().toString());
            command.addAll(List.of(args));
            Path out = Files.createTempFile(temp, "stdout", ".txt");
            Path err = Files.createTempFile(temp, "stderr", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().put("XDG_CONFIG_HOME", Files.createTempDirectory(temp, "config-home").toString());
            return new Piped(builder.start(), out, err, command);
        }

        OutputStream stdin() {
            return process.getOutputStream();
        }

        /** The launcher execs the JVM: this is streamer's own process. */
        long pid() {
            return process.pid();
        }

        int awaitExit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("streamer did not exit within " + timeout + "\n" + diagnostics());
            }
            return process.exitValue();
        }

        String stderr() {
            try {
                return Files.readString(err);
            } catch (IOException e) {
                return "(stderr unreadable: " + e + ")";
            }
        }

        String diagnostics() {
            String stdout;
            try {
                stdout = Files.readString(out);
            } catch (IOException e) {
                stdout = "(unreadable)";
            }
            return "command: " + String.join(" ", command) + (process.isAlive() ? " (running)" : " (exit " + process.exitValue() + ")")
                    + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr();
        }

        @Override
        public void close() {
            Peers.killTree(process);
        }
    }
}
