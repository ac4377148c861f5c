package dev.streamer.source.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.SampleEncoding;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.SourceException;
import dev.streamer.testkit.Allocation;
import dev.streamer.testkit.FakeClock;
import dev.streamer.testkit.RecordingLogger;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The read contract: real-time pacing without drift, the end after durationSeconds, close from another thread. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SignalSourceTests {
    private static final PcmFormat FORMAT = PcmFormat.DEFAULT_WIRE;
    private static final int PERIOD = 240; // 5 ms at 48 kHz, as the engine asks
    private static final long MS = 1_000_000L;
    private static final long START = 123_456_789L;

    private final FakeClock clock = new FakeClock(START);
    private final byte[] buffer = new byte[FORMAT.bytes(PERIOD)];

    @Test
    void everyReadReturnsWhenItsLastFrameIsDueCountedFromTheStart() throws Exception {
        try (SignalSource source = Sources.on(clock, SignalSettings.DEFAULTS)) {
            assertThat(source.open(FORMAT, PERIOD)).isEqualTo(FORMAT);
            for (int k = 1; k <= 1_000; k++) {
                assertThat(source.read(buffer, 0, buffer.length)).isEqualTo(buffer.length);
                assertThat(clock.getAsLong() - START).as("time after read %d", k).isEqualTo(k * 5 * MS);
            }
            assertThat(clock.parks()).as("parks: each bounded by 20 ms, one per 5 ms read").isEqualTo(1_000);
        }
    }

    @Test
    void aLateReaderGetsItsFramesAtOnceAndTheScheduleDoesNotDrift() throws Exception {
        try (SignalSource source = Sources.on(clock, SignalSettings.DEFAULTS)) {
            source.open(FORMAT, PERIOD);
            for (int k = 0; k < 10; k++) {
                source.read(buffer, 0, buffer.length);
            }
            clock.advance(12 * MS); // the capture thread was 12 ms late: two periods and a bit are due already
            long parks = clock.parks();
            source.read(buffer, 0, buffer.length);
            source.read(buffer, 0, buffer.length);
            assertThat(clock.parks()).as("no wait for frames already due").isEqualTo(parks);
            assertThat(clock.getAsLong() - START).isEqualTo(62 * MS);
            source.read(buffer, 0, buffer.length);
            assertThat(clock.getAsLong() - START).as("back on the schedule: 13 periods").isEqualTo(65 * MS);
            for (int k = 13; k < 1_000; k++) {
                source.read(buffer, 0, buffer.length);
            }
            assertThat(clock.getAsLong() - START).as("1000 periods").isEqualTo(5_000 * MS);
        }
    }

    @Test
    void periodsThatAreNotWholeNanosecondsAddUpToExactSeconds() throws Exception {
        PcmFormat cd = PcmFormat.wire(44_100, 16, 2);
        byte[] hundred = new byte[cd.bytes(100)];
        try (SignalSource source = Sources.on(clock, SignalSettings.DEFAULTS)) {
            source.open(cd, 100);
            for (int k = 1; k <= 441 * 3; k++) {
                source.read(hundred, 0, hundred.length);
                assertThat(clock.getAsLong() - START).as("read %d", k).isEqualTo(k * 100L * 1_000_000_000L / 44_100);
            }
            assertThat(clock.getAsLong() - START).as("132300 frames").isEqualTo(3_000 * MS);
        }
    }

    @Test
    void withTheSystemClockReadsTakeRealTime() throws Exception {
        try (SignalSource source = new SignalSource(SignalSettings.DEFAULTS, PluginContext.system("test"))) {
            long start = System.nanoTime();
            source.open(FORMAT, PERIOD);
            for (int k = 0; k < 40; k++) {
                source.read(buffer, 0, buffer.length);
            }
            long elapsed = System.nanoTime() - start;
            assertThat(elapsed).as("40 periods of 5 ms: never faster than real time").isBetween(200 * MS, 3_000 * MS);
        }
    }

    @Test
    void aDurationEndsWithMinusOneAfterExactlyThatMuchAudio() throws Exception {
        SignalSettings half = new SignalSettings("sine", 440, 20_000, 10, -12, 500, 1, 0.5);
        try (SignalSource source = Sources.on(clock, half)) {
            source.open(FORMAT, PERIOD);
            long bytes = 0;
            int reads = 0;
            for (int n; (n = source.read(buffer, 0, buffer.length)) >= 0; reads++) {
                bytes += n;
            }
            assertThat(bytes).as("0.5 s of 48000:16:2").isEqualTo(96_000);
            assertThat(reads).isEqualTo(100);
            assertThat(clock.getAsLong() - START).isEqualTo(500 * MS);
            assertThat(source.read(buffer, 0, buffer.length)).as("still the end").isEqualTo(-1);
        }
        SignalSettings odd = new SignalSettings("white", 440, 20_000, 10, -12, 500, 1, 0.0051); // 244.8 -> 245 frames
        try (SignalSource source = Sources.on(clock, odd)) {
            source.open(FORMAT, PERIOD);
            assertThat(source.read(buffer, 0, buffer.length)).isEqualTo(FORMAT.bytes(240));
            assertThat(source.read(buffer, 0, buffer.length)).as("the last 5 frames").isEqualTo(FORMAT.bytes(5));
            assertThat(source.read(buffer, 0, buffer.length)).isEqualTo(-1);
        }
    }

    @Test
    void closeFromAnotherThreadEndsAWaitingReadAtOnce() throws Exception {
        int tenSeconds = 10 * FORMAT.sampleRate(); // a ten-second period: the read would wait ten seconds
        byte[] large = new byte[FORMAT.bytes(tenSeconds)];
        try (SignalSource source = new SignalSource(SignalSettings.DEFAULTS, PluginContext.system("test"))) {
            source.open(FORMAT, tenSeconds);
            CompletableFuture<Integer> read = new CompletableFuture<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    read.complete(source.read(large, 0, large.length));
                } catch (Throwable e) {
                    read.completeExceptionally(e);
                }
            });
            while (reader.getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
            }
            long closing = System.nanoTime();
            source.close();
            assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
            assertThat(System.nanoTime() - closing).as("from close to the read's return (generous: loaded CI machines)")
                    .isLessThan(2_000 * MS);
            assertThat(source.read(large, 0, large.length)).as("after close").isEqualTo(-1);
            source.close(); // idempotent
            assertThat(source.describe()).isEqualTo("signal: sine 440 Hz at -12 dBFS, 48000 Hz s16le stereo (closed)");
        }
    }

    @Test
    void misuseIsReportedClearly() throws Exception {
        SignalSource closedFirst = Sources.on(clock, SignalSettings.DEFAULTS);
        closedFirst.close();
        assertThatThrownBy(() -> closedFirst.open(FORMAT, PERIOD)).isInstanceOf(SourceException.class)
                .hasMessageContaining("closed before it was opened");

        try (SignalSource source = Sources.on(clock, SignalSettings.DEFAULTS)) {
            assertThatThrownBy(() -> source.read(buffer, 0, buffer.length)).isInstanceOf(IllegalStateException.class);
            source.open(FORMAT, PERIOD);
            assertThatThrownBy(() -> source.read(buffer, 0, 3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("length 3 is less than one frame of 4 bytes");
            assertThatThrownBy(() -> source.open(FORMAT, PERIOD)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aToneAboveHalfTheRateIsRefusedAtOpenAndASweepIsCappedThere() throws Exception {
        SignalSettings high = new SignalSettings("sine", 5_000, 20_000, 10, -12, 500, 1, 0);
        try (SignalSource source = Sources.on(clock, high)) {
            assertThatThrownBy(() -> source.open(PcmFormat.wire(8_000, 16, 2), 40)).isInstanceOf(SourceException.class)
                    .hasMessage("signal: frequencyHz 5000 is above half the sample rate (4000 Hz at 8000 Hz);"
                            + " choose a lower frequency or a higher --rate");
        }
        SignalSettings sweep = new SignalSettings("sweep", 100, 20_000, 10, -12, 500, 1, 0);
        RecordingLogger logger = new RecordingLogger();
        try (SignalSource source = Sources.on(clock, sweep, logger)) {
            assertThat(source.open(PcmFormat.wire(8_000, 16, 2), 40)).isEqualTo(PcmFormat.wire(8_000, 16, 2));
        }
        assertThat(logger.at(System.Logger.Level.INFO)).containsExactly(
                "signal: the sweep ends at 4000 Hz, half the sample rate, instead of 20000 Hz",
                "signal: generating sweep 100 to 20000 Hz in 10 s at -12 dBFS as 8000 Hz s16le stereo in reads of 40 frames");
    }

    @Test
    void openReturnsExactlyTheFormatAskedForAndDescribesTheSignal() throws Exception {
        for (PcmFormat asked : new PcmFormat[] {PcmFormat.wire(96_000, 24, 1), PcmFormat.wire(8_000, 32, 2),
                new PcmFormat(22_050, 6, 8, 1, SampleEncoding.UNSIGNED, false),
                new PcmFormat(44_100, 2, 32, 4, SampleEncoding.FLOAT, true)}) {
            try (SignalSource source = Sources.on(clock, SignalSettings.DEFAULTS)) {
                assertThat(source.open(asked, 64)).isEqualTo(asked);
                byte[] frames = new byte[asked.bytes(64)];
                assertThat(source.read(frames, 0, frames.length)).isEqualTo(frames.length);
            }
        }
        try (SignalSource source = Sources.on(clock, new SignalSettings("pink", 440, 20_000, 10, -20, 500, 7, 3))) {
            assertThat(source.describe()).isEqualTo("signal: pink noise (seed 7) at -20 dBFS for 3 s");
            source.open(FORMAT, PERIOD);
            assertThat(source.describe()).isEqualTo("signal: pink noise (seed 7) at -20 dBFS for 3 s, 48000 Hz s16le stereo");
        }
        try (SignalSource source = Sources.on(clock, new SignalSettings("sweep", 20, 20_000, 5, -12, 500, 1, 0))) {
            assertThat(source.describe()).isEqualTo("signal: sweep 20 to 20000 Hz in 5 s at -12 dBFS");
        }
    }

    @Test
    void readingAllocatesNothing() throws Exception {
        for (String waveform : new String[] {"sine", "sweep", "white", "pink", "silence", "clicks"}) {
            try (SignalSource source = Sources.on(clock, new SignalSettings(waveform, 440, 20_000, 10, -12, 500, 1, 0))) {
                source.open(FORMAT, PERIOD);
                for (int i = 0; i < 20_000; i++) { // warm up: class loading and JIT allocate
                    source.read(buffer, 0, buffer.length);
                }
                // The least of three rounds: code that allocates per read does so in every round, while a
                // JIT event (a deoptimisation re-materialises what escape analysis had removed) hits one.
                long allocated = Long.MAX_VALUE;
                for (int round = 0; round < 3; round++) {
                    long before = Allocation.currentThread();
                    for (int i = 0; i < 50_000; i++) {
                        source.read(buffer, 0, buffer.length);
                    }
                    allocated = Math.min(allocated, Allocation.currentThread() - before);
                }
                assertThat(allocated).as("bytes allocated by 50000 reads of %s", waveform).isLessThan(10_000);
            }
        }
    }
}
