package dev.streamer.source.pulse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.streamer.api.DeviceInfo;
import dev.streamer.api.PcmFormat;
import dev.streamer.api.SampleEncoding;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceException;
import dev.streamer.testkit.Capture;
import dev.streamer.testkit.Peers;
import dev.streamer.testkit.RecordingLogger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real capture through libpulse from the PulseAudio null sink that {@code setup-audio-peers.sh} provides. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PulseCaptureTests {

    private static final System.Logger LOG = System.getLogger(PulseCaptureTests.class.getName());

    private final PulseSourceProvider provider = new PulseSourceProvider();

    @BeforeEach
    void needsAudioPeers() {
        PulsePeers.require();
    }

    @Test
    void devicesListTheDefaultMonitorFirstWithItsNativeFormat() throws SourceException {
        List<DeviceInfo> devices = provider.devices();

        LOG.log(System.Logger.Level.INFO, () -> "devices: " + devices);
        DeviceInfo first = devices.getFirst();
        assertThat(first.name()).isEqualTo(PulsePeers.MONITOR);
        assertThat(first.isDefault()).isTrue();
        assertThat(devices).filteredOn(DeviceInfo::isDefault).hasSize(1);
        assertThat(first.description()).startsWith("Monitor of ").endsWith("(records what ci_sink plays)");
        assertThat(first.formats()).containsExactly("48000 Hz, s16le, 2 ch (native)",
                "any rate, s16/24/32le or float, 1-32 ch (the server converts)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "48000 Hz s16le stereo in 480-frame periods,  48000, 2, 16, 2, 480, 440",
        "44100 Hz s24in32le mono in 441-frame periods, 44100, 1, 24, 4, 441, 1000",
        "48000 Hz float stereo in 240-frame periods,  48000, 2, 32, 4, 240, 440",
    })
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void capturesAPlayedToneInRealTimeInTheWireFormat(String label, int rate, int channels, int bits, int bytes, int periodFrames,
                                                       int frequency) throws Exception {
        PcmFormat wire = new PcmFormat(rate, channels, bits, bytes, bits == 32 ? SampleEncoding.FLOAT : SampleEncoding.SIGNED, false);
        Peers.withQuietSink(() -> captureTone(wire, periodFrames, frequency));
    }

    private void captureTone(PcmFormat wire, int periodFrames, int frequency) throws Exception {
        try (TonePlayer tone = TonePlayer.start(frequency);
             Source source = provider.create(PulseSettings.DEFAULTS, context())) {
            long openedAt = System.nanoTime();
            PcmFormat format = source.open(wire, periodFrames);
            Capture capture = Capture.read(source, format, periodFrames, openedAt, 1_500);

            assertThat(format).isEqualTo(wire);
            assertThat(source.describe()).startsWith("pulse: " + PulsePeers.MONITOR + " (Monitor of ").endsWith(") " + wire);
            double bytesPerSecond = capture.bytes().length / capture.seconds();
            LOG.log(System.Logger.Level.INFO, () -> String.format(Locale.ROOT,
                    "%s: %d bytes in %.3f s = %.0f B/s (real time is %d), %d reads, %d empty, longest %.1f ms, overruns %d",
                    wire, capture.bytes().length, capture.seconds(), bytesPerSecond, wire.bytesPerSecond(), capture.reads(), capture.empty(),
                    capture.longestReadNanos() / 1e6, source.overrunFrames()));
            assertThat(bytesPerSecond).as("bytes per wall-clock second").isBetween(wire.bytesPerSecond() * 0.8, wire.bytesPerSecond() * 1.25);
            assertThat(capture.maxChunk()).isLessThanOrEqualTo(format.bytes(periodFrames));
            assertThat(capture.longestReadNanos()).as("longest read").isLessThan(200_000_000L);
            capture.assertTone(format, tone.frequency());
        }
    }

    @Test
    void anUnknownSourceFailsWithTheListOfSources() {
        try (Source source = provider.create(new PulseSettings("no-such-source-42", "", 0, 2_000), context())) {
            assertThatThrownBy(() -> source.open(PcmFormat.DEFAULT_WIRE, 480))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("No PulseAudio source matches \"no-such-source-42\"")
                    .hasMessageContaining("\"" + PulsePeers.MONITOR + "\"");
            assertThat(source.describe()).contains("no-such-source-42");
            assertThat(source.read(new byte[1920], 0, 1920)).isEqualTo(-1);
        } catch (SourceException e) {
            throw new AssertionError(e);
        } // close after a failed open must be harmless
    }

    @Test
    void aSourceNamedByPartOfItsNameIsOpened() throws Exception {
        try (Source source = provider.create(new PulseSettings("CI_SINK.MON", "", 0, 2_000), context())) {
            source.open(PcmFormat.DEFAULT_WIRE, 480);
            assertThat(source.describe()).startsWith("pulse: ci_sink.monitor ");
        }
    }

    @Test
    void aServerThatDoesNotExistFailsAtOnceSayingWhereItLooked() {
        try (Source source = provider.create(new PulseSettings("default", "unix:/nonexistent/native", 0, 2_000), context())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> source.open(PcmFormat.DEFAULT_WIRE, 480))
                    .isInstanceOf(SourceException.class)
                    .hasMessageStartingWith("Could not connect to PulseAudio at \"unix:/nonexistent/native\" (source.server): ")
                    .hasMessageEndingWith("Is pulseaudio or pipewire-pulse running for this user? Otherwise capture with --source javasound.");
            assertThat(System.nanoTime() - start).as("time to fail").isLessThan(TimeUnit.MILLISECONDS.toNanos(2_000));
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutWithinTheTimeout() throws IOException {
        // accepts TCP connections in its backlog and never says a word, like a hung server
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             Source source = provider.create(new PulseSettings("default", "tcp:127.0.0.1:" + silent.getLocalPort(), 0, 500), context())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> source.open(PcmFormat.DEFAULT_WIRE, 480))
                    .isInstanceOf(SourceException.class)
                    .hasMessage("No PulseAudio server answered within 500 ms at \"tcp:127.0.0.1:" + silent.getLocalPort()
                            + "\" (source.server). Is pulseaudio or pipewire-pulse running for this user? Otherwise capture with"
                            + " --source javasound.");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            LOG.log(System.Logger.Level.INFO, "gave up after " + millis + " ms");
            assertThat(millis).isBetween(450L, 3_000L);
        }
    }

    @Test
    void closeFromAnotherThreadWhileOpeningEndsTheOpenPromptly() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Source source = provider.create(new PulseSettings("default", "tcp:127.0.0.1:" + silent.getLocalPort(), 0, 20_000), context());
            CompletableFuture<Throwable> failed = new CompletableFuture<>();
            Thread.ofPlatform().name("opening").start(() -> {
                try {
                    source.open(PcmFormat.DEFAULT_WIRE, 480);
                    failed.complete(null);
                } catch (Throwable e) {
                    failed.complete(e);
                }
            });
            Thread.sleep(300);
            long closedAt = System.nanoTime();
            source.close();
            long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt);

            assertThat(failed.get(5, TimeUnit.SECONDS)).isInstanceOf(SourceException.class)
                    .hasMessage("The pulse source was closed while waiting for PulseAudio.");
            assertThat(closeMillis).as("close() returned after ms").isLessThan(1_000);
            source.close();
            assertThat(source.describe()).endsWith("(closed)");
        }
    }

    /** What was recorded between open and the first read (the engine starting) is dropped unseen, and is no loss. */
    @Test
    void audioRecordedBeforeTheFirstReadIsPreRollNotALoss() throws Exception {
        try (Source source = provider.create(PulseSettings.DEFAULTS, context())) {
            PcmFormat format = source.open(PcmFormat.DEFAULT_WIRE, 480);
            byte[] buffer = new byte[format.bytes(480)];
            Thread.sleep(300);

            assertThat(source.read(buffer, 0, buffer.length)).isEqualTo(buffer.length);
            long immediate = 0;
            for (int reads = 0; reads < 100; reads++) {
                long before = System.nanoTime();
                int n = source.read(buffer, 0, buffer.length);
                if (System.nanoTime() - before > 5_000_000L) {
                    break; // this read waited for new audio: nothing old was left
                }
                immediate += n;
            }

            assertThat(immediate).as("bytes still queued after the first read").isLessThanOrEqualTo(2L * buffer.length);
            assertThat(source.overrunFrames()).as("pre-roll is not a loss").isZero();
        }
    }

    /**
     * A reader that falls behind (here: 600 ms without reading) must not carry the backlog as
     * latency for the rest of the stream: what is older than about 30 ms is dropped and counted.
     */
    @Test
    void aReaderThatFellBehindGetsFreshAudioAndTheStaleAudioCountsAsLost() throws Exception {
        try (Source source = provider.create(PulseSettings.DEFAULTS, context())) {
            PcmFormat format = source.open(PcmFormat.DEFAULT_WIRE, 480);
            byte[] buffer = new byte[format.bytes(480)];
            assertThat(source.read(buffer, 0, buffer.length)).isEqualTo(buffer.length);
            long lostBefore = source.overrunFrames();

            Thread.sleep(600);
            assertThat(source.read(buffer, 0, buffer.length)).isEqualTo(buffer.length);

            long lost = source.overrunFrames() - lostBefore;
            assertThat(lost).as("frames dropped as stale after a 600 ms pause").isGreaterThan(format.sampleRate() * 4L / 10);
            long queuedAfter = 0; // what is left arrives at once: no more than the 30 ms kept, plus a period
            long start = System.nanoTime();
            while (System.nanoTime() - start < 2_000_000_000L) {
                long before = System.nanoTime();
                int n = source.read(buffer, 0, buffer.length);
                if (System.nanoTime() - before > 5_000_000L) {
                    break; // this read waited for new audio: the backlog is gone
                }
                queuedAfter += n;
            }
            assertThat(queuedAfter).isLessThanOrEqualTo(format.bytesForMillis(30) + 2L * buffer.length);
        }
    }

    /**
     * A player asking for 10 ms of latency makes the server send the monitor in blocks of about 2 ms.
     * A read must not wake for each of them: it sleeps until its period is about recorded, then polls
     * for the rest. Counted with the kernel's context switches of the reading thread: polling for
     * every block made about six per 10 ms read, sleeping first makes two to three.
     */
    @Test
    void aReadWakesItsThreadAFewTimesPerPeriodNotForEveryBlockTheServerSends() throws Exception {
        Process player = Peers.withoutSharedMemory(new ProcessBuilder("pacat", "--playback", "--raw", "--format=s16le", "--rate=48000",
                "--channels=2", "--latency-msec=10", "--client-name=streamer-pulse-test-player"))
                .redirectInput(new java.io.File("/dev/zero")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (Source source = provider.create(PulseSettings.DEFAULTS, context())) {
            PcmFormat format = source.open(PcmFormat.DEFAULT_WIRE, 480);
            CompletableFuture<Double> perRead = new CompletableFuture<>();
            Thread.ofPlatform().name("pulse-wakeups").start(() -> {
                try {
                    byte[] buffer = new byte[format.bytes(480)];
                    for (int i = 0; i < 50; i++) { // settle: the player starting, the code compiled
                        source.read(buffer, 0, buffer.length);
                    }
                    long before = contextSwitches("pulse-wakeups");
                    int reads = 200;
                    for (int i = 0; i < reads; i++) {
                        assertThat(source.read(buffer, 0, buffer.length)).isEqualTo(buffer.length);
                    }
                    perRead.complete((contextSwitches("pulse-wakeups") - before) / (double) reads);
                } catch (Throwable e) {
                    perRead.completeExceptionally(e);
                }
            });
            double switches = perRead.get(30, TimeUnit.SECONDS);
            LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT, "%.2f context switches per 10 ms read", switches));
            assertThat(switches).isLessThan(4.0);
        } finally {
            player.destroy();
            player.waitFor(2, TimeUnit.SECONDS);
        }
    }

    /** Return the voluntary and involuntary context switches of this process's thread named {@code name}. */
    private static long contextSwitches(String name) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                if (Files.readString(task.resolve("comm")).strip().equals(name)) {
                    return Files.readAllLines(task.resolve("status")).stream().filter(line -> line.contains("ctxt_switches:"))
                            .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).strip())).sum();
                }
            }
        }
        throw new IllegalStateException("no thread named " + name);
    }

    @Test
    void closeFromAnotherThreadEndsAWaitingReadPromptly() throws Exception {
        Source source = provider.create(PulseSettings.DEFAULTS, context());
        PcmFormat format = source.open(PcmFormat.DEFAULT_WIRE, 480);

        long lagMillis = Capture.closeWhileReading(source, format.bytes(480), 300) / 1_000_000;

        LOG.log(System.Logger.Level.INFO, "read returned -1 " + lagMillis + " ms after close()");
        assertThat(lagMillis).isLessThan(200);
        assertThat(source.read(new byte[1920], 0, 1920)).isEqualTo(-1);
        source.close(); // idempotent
        assertThat(source.describe()).startsWith("pulse: " + PulsePeers.MONITOR + " (Monitor of ").endsWith(") 48000 Hz s16le stereo (closed)");
    }

    /**
     * A source suspended while it is recorded delivers nothing: the reads warn at 3 s and fail at 10
     * s, naming it, instead of streaming nothing for ever. On a null sink of its own, so the other
     * tests' sink stays untouched.
     */
    @Test
    void aSourceSuspendedWhileRecordedWarnsAtThreeSecondsAndFailsAtTen() throws Exception {
        String sink = "suspend_test_" + ProcessHandle.current().pid();
        String module = pactl("load-module", "module-null-sink", "sink_name=" + sink).strip();
        RecordingLogger logged = new RecordingLogger();
        try (Source source = provider.create(new PulseSettings(sink + ".monitor", "", 0, 2_000),
                new PluginContext(logged, System::nanoTime))) {
            PcmFormat format = source.open(PcmFormat.DEFAULT_WIRE, 480);
            byte[] buffer = new byte[format.bytes(480)];
            long recordingBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (source.read(buffer, 0, buffer.length) == 0) { // the new sink wakes from its idle suspension
                assertThat(System.nanoTime()).as("recording within 5 s").isLessThan(recordingBy);
            }
            pactl("suspend-sink", sink, "1");
            long suspended = System.nanoTime();

            assertThatThrownBy(() -> {
                while (true) {
                    source.read(buffer, 0, buffer.length);
                }
            }).isInstanceOf(SourceException.class)
                    .hasMessage("PulseAudio source \"" + sink + ".monitor\" delivered no audio for 10 s; it was suspended or the"
                            + " server stalled.");
            long failedAfterMillis = (System.nanoTime() - suspended) / 1_000_000;
            assertThat(failedAfterMillis).isBetween(10_000L, 12_000L);
            assertThat(logged.at(System.Logger.Level.WARNING)).singleElement().asString()
                    .startsWith("PulseAudio source \"" + sink + ".monitor\" has delivered no audio for 3");
        } finally {
            pactl("unload-module", module);
        }
    }

    /**
     * Run pactl and return what it printed. Its answers here are a line at most, well within a
     * pipe's buffer, so it is waited for first: a hang fails after 10 s instead of blocking a read.
     */
    private static String pactl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("pactl"));
        command.addAll(List.of(arguments));
        Process pactl = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean answered = pactl.waitFor(10, TimeUnit.SECONDS);
        if (!answered) {
            pactl.destroyForcibly();
        }
        assertThat(answered).as("pactl %s answered within 10 s", command).isTrue();
        String out = new String(pactl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(pactl.exitValue()).as("pactl %s: %s", command, out).isZero();
        return out;
    }

    /**
     * Open, read from a capture thread, and close from this one at a random moment, 50 times: close
     * lands while the reader is parked, inside libpulse or between the two. Nothing may crash, every
     * read must end with -1, and the mainloop threads and sockets must not pile up.
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void openReadAndCloseFiftyTimesLeavesNoThreadOrDescriptorBehind() throws Exception {
        cycle(3); // load and link everything first
        long threadsBefore = count("/proc/self/task");
        long descriptorsBefore = count("/proc/self/fd");

        cycle(50);

        long threadsAfter = count("/proc/self/task");
        long descriptorsAfter = count("/proc/self/fd");
        LOG.log(System.Logger.Level.INFO, "threads " + threadsBefore + " -> " + threadsAfter + ", descriptors "
                + descriptorsBefore + " -> " + descriptorsAfter);
        // one leaked mainloop per cycle would be 50 threads and more than 50 descriptors
        assertThat(threadsAfter - threadsBefore).as("threads left").isLessThan(10);
        assertThat(descriptorsAfter - descriptorsBefore).as("descriptors left").isLessThan(10);
    }

    private void cycle(int times) throws Exception {
        for (int i = 0; i < times; i++) {
            Source source = provider.create(PulseSettings.DEFAULTS, context());
            PcmFormat format = source.open(PcmFormat.DEFAULT_WIRE, 240);
            long lag = Capture.closeWhileReading(source, format.bytes(240), ThreadLocalRandom.current().nextInt(0, 40));
            assertThat(lag).as("read ended after close, cycle %d", i).isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
        }
    }

    private static long count(String directory) throws IOException {
        try (Stream<Path> entries = Files.list(Path.of(directory))) {
            return entries.count();
        }
    }

    private static PluginContext context() {
        return PluginContext.system("pulse-test");
    }
}
