package dev.streamer.source.javasound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.SourceException;
import dev.streamer.testkit.Allocation;
import dev.streamer.testkit.RecordingLogger;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The capture loop against simulated devices: overruns that real hardware would produce, a sound
 * server that queues instead, a device that goes quiet, and close while a read waits.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class JavaSoundSourceSimulationTests {

    private static final PcmFormat FORMAT = PcmFormat.DEFAULT_WIRE;
    private static final int RATE = FORMAT.sampleRate();
    private static final int PERIOD = 240; // 5 ms
    private static final int BUFFER = 960; // 20 ms
    private static final int LARGE_BUFFER = 4_800; // 100 ms
    private static final long PULSE_QUEUE = 20L * RATE;
    /** Long enough after a stall for the meter to decide (it waits a second for late audio). */
    private static final long SETTLED = OverrunMeter.SETTLE_NANOS / 1_000_000 + 200;

    private final TestClock clock = new TestClock();
    private final RecordingLogger logger = new RecordingLogger();
    private final byte[] buffer = new byte[FORMAT.bytes(PERIOD)];

    private SimulatedLine line;

    /**
     * A source on a simulated device that holds {@code bufferFrames} and queues {@code upstreamFrames}
     * more in a sound server. Overrun tests use a 100 ms buffer so that only the simulated stall, not
     * a hiccup of the test JVM, makes the device drop frames.
     */
    private JavaSoundSource source(int bufferFrames, long upstreamFrames, long fragmentFrames) {
        line = new SimulatedLine(FormatNegotiation.toAudioFormat(FORMAT), bufferFrames, upstreamFrames, fragmentFrames, clock);
        return new JavaSoundSource(new JavaSoundSettings("", bufferFrames * 1000 / RATE), new PluginContext(logger, clock),
                (preferred, period) -> {
                    line.open(FormatNegotiation.toAudioFormat(preferred), FORMAT.bytes(bufferFrames));
                    return new JavaSoundSource.Opened(line, "simulated", preferred, FORMAT.bytes(bufferFrames));
                });
    }

    @Test
    void aHardwareDeviceThatDropsFramesDuringAStallHasThemCounted() throws Exception {
        try (JavaSoundSource source = source(LARGE_BUFFER, 0, 120)) {
            source.open(FORMAT, PERIOD);
            long delivered = readFor(source, 200);
            clock.advanceMillis(400); // the reader stalls for 400 ms in an instant

            delivered += readUntil(source, () -> source.overrunFrames() > 0);

            long discarded = line.discardedFrames();
            // 400 ms arrived; the buffer kept 100 ms of it plus whatever the reader had not yet taken
            assertThat(discarded).isBetween(300L * RATE / 1000, 300L * RATE / 1000 + 2 * PERIOD);
            assertThat(source.overrunFrames()).isCloseTo(discarded, within(RATE * 10 / 1000L));
            assertThat(delivered).isEqualTo(line.consumedFrames());
            assertThat(logger.at(Level.WARNING)).as("the source counts losses; the engine logs them").isEmpty();
        }
    }

    @Test
    void aSoundServerThatQueuesDuringAStallDeliversLateAndNothingIsCounted() throws Exception {
        try (JavaSoundSource source = source(BUFFER, PULSE_QUEUE, 480)) {
            source.open(FORMAT, PERIOD);
            readFor(source, 200);
            clock.advanceMillis(400);

            readFor(source, SETTLED);

            assertThat(line.discardedFrames()).isZero();
            assertThat(source.overrunFrames()).isZero();
            assertThat(logger.at(Level.WARNING)).isEmpty();
        }
    }

    @Test
    void aSoundServerWithAShortQueueDropsTheRestAndThatIsCounted() throws Exception {
        try (JavaSoundSource source = source(LARGE_BUFFER, RATE / 10, 480)) { // 100 ms more upstream
            source.open(FORMAT, PERIOD);
            readFor(source, 200);
            clock.advanceMillis(400);

            readUntil(source, () -> source.overrunFrames() > 0);

            long discarded = line.discardedFrames();
            assertThat(discarded).isBetween(200L * RATE / 1000, 200L * RATE / 1000 + 480 + PERIOD);
            assertThat(source.overrunFrames()).isCloseTo(discarded, within(RATE * 10 / 1000L));
        }
    }

    @Test
    void aDeviceThatPausesIsNotAnOverrunAndReadsStayBounded() throws Exception {
        try (JavaSoundSource source = source(BUFFER, 0, 120)) {
            source.open(FORMAT, PERIOD);
            readFor(source, 100);
            line.pause();
            long longest = 0;
            int empty = 0;
            long end = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() < end) {
                long before = System.nanoTime();
                if (source.read(buffer, 0, buffer.length) == 0) {
                    empty++;
                }
                longest = Math.max(longest, System.nanoTime() - before);
            }
            line.resume();
            readFor(source, 100);

            assertThat(empty).isPositive();
            assertThat(longest).as("longest read while the device was quiet").isLessThan(60_000_000L);
            assertThat(source.overrunFrames()).isZero();
        }
    }

    @Test
    void aDeviceSilentForSecondsIsReportedThenFails() throws Exception {
        try (JavaSoundSource source = source(BUFFER, 0, 120)) {
            source.open(FORMAT, PERIOD);
            readFor(source, 50);
            line.pause();
            while (source.read(buffer, 0, buffer.length) > 0) {
                // take what the device had before it went quiet
            }
            clock.advanceMillis(3_100);
            assertThat(source.read(buffer, 0, buffer.length)).isZero();
            assertThat(logger.at(Level.WARNING)).singleElement().asString().contains("no audio");

            clock.advanceMillis(7_000);

            assertThatThrownBy(() -> source.read(buffer, 0, buffer.length))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("simulated")
                    .hasMessageContaining("no audio for 10 s");
        }
    }

    @Test
    void closeFromAnotherThreadEndsAWaitingReadAtOnce() throws Exception {
        JavaSoundSource source = source(BUFFER, 0, 120);
        int longPeriod = RATE / 10; // reads may wait 200 ms
        source.open(FORMAT, longPeriod);
        line.pause();
        byte[] big = new byte[FORMAT.bytes(longPeriod)];
        CompletableFuture<long[]> result = CompletableFuture.supplyAsync(() -> {
            try {
                int n;
                do {
                    n = source.read(big, 0, big.length);
                } while (n >= 0);
                return new long[] {n, System.nanoTime()};
            } catch (SourceException e) {
                throw new IllegalStateException(e);
            }
        }, runnable -> Thread.ofPlatform().start(runnable));
        Thread.sleep(100);

        long closedAt = System.nanoTime();
        source.close();

        long[] ended = result.get(1, TimeUnit.SECONDS);
        assertThat(ended[0]).isEqualTo(-1);
        assertThat((ended[1] - closedAt) / 1_000_000).as("ms from close to -1").isLessThan(20);
        assertThat(line.isOpen()).isFalse();
    }

    @Test
    void readsAreWholeFramesAtMostOnePeriodAndAtMostTheLength() throws Exception {
        JavaSoundSource source = source(BUFFER, PULSE_QUEUE, 480);
        assertThatThrownBy(() -> source.read(buffer, 0, buffer.length)).isInstanceOf(IllegalStateException.class);
        source.open(FORMAT, PERIOD);
        clock.advanceMillis(100); // plenty buffered
        byte[] large = new byte[FORMAT.bytes(PERIOD) * 3];

        assertThat(source.read(large, 0, large.length)).isEqualTo(FORMAT.bytes(PERIOD));
        assertThat(source.read(large, 8, 502)).isEqualTo(500);
        assertThat(source.read(large, 0, 7)).isEqualTo(4);
        assertThatThrownBy(() -> source.read(large, 0, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("less than one frame");
        assertThatThrownBy(() -> source.read(large, large.length - 2, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> source.open(FORMAT, PERIOD)).isInstanceOf(IllegalStateException.class);
        assertThat(source.describe()).isEqualTo("simulated 48000 Hz s16le stereo");

        source.close();

        assertThat(source.read(large, 0, large.length)).isEqualTo(-1);
        assertThatThrownBy(() -> source.open(FORMAT, PERIOD)).isInstanceOf(SourceException.class);
    }

    @Test
    void theOpenLogNamesDeviceFormatAndGrantedBuffer() throws Exception {
        try (JavaSoundSource source = source(BUFFER, 0, 120)) {
            source.open(FORMAT, PERIOD);

            assertThat(logger.at(Level.INFO)).singleElement().asString()
                    .contains("simulated", "48000 Hz s16le stereo", "3840 bytes (20.0 ms) granted", "240 frames (5.0 ms)");
        }
    }

    @Test
    void readingAllocatesNothing() throws Exception {
        try (JavaSoundSource source = source(BUFFER, PULSE_QUEUE, 120)) {
            source.open(FORMAT, PERIOD);
            for (int i = 0; i < 50_000; i++) { // warm up: class loading and JIT allocate
                clock.advanceMillis(5);
                source.read(buffer, 0, buffer.length);
            }
            long before = Allocation.currentThread();
            for (int i = 0; i < 100_000; i++) {
                clock.advanceMillis(5);
                source.read(buffer, 0, buffer.length);
            }
            long allocated = Allocation.currentThread() - before;

            assertThat(allocated).as("bytes allocated by 100000 reads").isLessThan(10_000);
        }
    }

    /** Read in real time until {@code done} holds (at most 5 s); return the frames delivered. */
    private long readUntil(JavaSoundSource source, BooleanSupplier done) throws SourceException {
        long end = System.nanoTime() + 5_000_000_000L;
        long frames = 0;
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("reading until the condition holds").isLessThan(end);
            frames += source.read(buffer, 0, buffer.length) / FORMAT.frameSize();
        }
        return frames;
    }

    private long readFor(JavaSoundSource source, long millis) throws SourceException {
        long end = System.nanoTime() + millis * 1_000_000;
        long frames = 0;
        while (System.nanoTime() < end) {
            int n = source.read(buffer, 0, buffer.length);
            assertThat(n).isNotNegative();
            frames += n / FORMAT.frameSize();
        }
        return frames;
    }
}
