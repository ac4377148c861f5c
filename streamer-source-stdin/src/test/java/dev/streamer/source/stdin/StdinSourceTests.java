package dev.streamer.source.stdin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.SampleEncoding;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.SourceException;
import dev.streamer.testkit.Allocation;
import dev.streamer.testkit.RecordingLogger;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stdin source against a stream the test controls: whole frames, exact bytes, the end, close. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StdinSourceTests {
    private static final PcmFormat WIRE = PcmFormat.DEFAULT_WIRE;
    private static final int PERIOD = 240;
    private static final long MS = 1_000_000L;

    private final RecordingLogger logger = new RecordingLogger();
    private final byte[] buffer = new byte[WIRE.bytes(PERIOD)];

    private StdinSource source(StdinSettings settings, InputStream input) {
        return new StdinSource(settings, new PluginContext(logger, System::nanoTime), input);
    }

    static byte[] noise(long seed, int bytes) {
        byte[] data = new byte[bytes];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }

    @Test
    void onlyWholeFramesAreDeliveredAndAPartialFrameWaitsForTheRest() throws Exception {
        FeedStream feed = new FeedStream();
        byte[] data = noise(1, 12);
        try (StdinSource source = source(StdinSettings.DEFAULTS, feed)) {
            source.open(WIRE, PERIOD);
            feed.feed(Arrays.copyOfRange(data, 0, 3)); // less than one 4-byte frame
            long start = System.nanoTime();
            assertThat(source.read(buffer, 0, buffer.length)).as("no whole frame in time").isZero();
            assertThat(System.nanoTime() - start).as("a read waits at most about two periods (20 ms here)").isBetween(15 * MS, 2_000 * MS);

            feed.feed(Arrays.copyOfRange(data, 3, 10)); // completes frame 1, adds frame 2 and half of frame 3
            byte[] got = readBytes(source, 8);
            assertThat(got).isEqualTo(Arrays.copyOfRange(data, 0, 8));

            feed.feed(Arrays.copyOfRange(data, 10, 12));
            assertThat(readBytes(source, 4)).isEqualTo(Arrays.copyOfRange(data, 8, 12));
            feed.feed(new byte[] {1, 2});
            feed.end();
            assertThat(source.read(buffer, 0, buffer.length)).as("the end; the half frame is dropped").isEqualTo(-1);
            assertThat(source.read(buffer, 0, buffer.length)).isEqualTo(-1);
        }
        assertThat(logger.at(Level.WARNING)).containsExactly("stdin: the input ended inside a frame; its last 2 bytes are dropped."
                + " Check that the settings (48000 Hz s16le stereo) match what the producer writes");
    }

    /** Read until {@code bytes} arrived (reads of 0 are "not yet"). */
    private byte[] readBytes(StdinSource source, int bytes) throws SourceException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < bytes) {
            int n = source.read(buffer, 0, buffer.length);
            assertThat(n).as("not the end yet").isNotNegative();
            assertThat(n % 4).isZero();
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void bytesFedInRandomPiecesArriveExactlyThroughTheRing() throws Exception {
        byte[] data = noise(2, 1_000_003); // 15 rings' worth, and not a whole number of frames
        FeedStream feed = new FeedStream();
        Thread producer = Thread.ofPlatform().start(() -> {
            SplittableRandom sizes = new SplittableRandom(3);
            for (int at = 0; at < data.length; ) {
                int n = Math.min(sizes.nextInt(1, 5_000), data.length - at);
                feed.feed(Arrays.copyOfRange(data, at, at + n));
                at += n;
            }
            feed.end();
        });
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (StdinSource source = source(StdinSettings.DEFAULTS, feed)) {
            source.open(WIRE, PERIOD);
            for (int n; (n = source.read(buffer, 0, buffer.length)) >= 0; ) {
                assertThat(n % 4).isZero();
                received.write(buffer, 0, n);
            }
        }
        producer.join();
        assertThat(received.toByteArray()).isEqualTo(Arrays.copyOf(data, 1_000_000));
    }

    @Test
    void aSlowReaderLosesNothingTheProducerWaits() throws Exception {
        byte[] data = noise(4, 600_000); // ten times the ring, available at once
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ByteArrayInputStream input = new ByteArrayInputStream(data);
        try (StdinSource source = source(StdinSettings.DEFAULTS, input)) {
            source.open(WIRE, PERIOD);
            while (input.available() > data.length - 65_536) { // the pump fills the 64 KiB ring, then has to wait
                Thread.onSpinWait();
            }
            for (int n; (n = source.read(buffer, 0, buffer.length)) >= 0; ) {
                received.write(buffer, 0, n);
            }
        }
        assertThat(received.toByteArray()).isEqualTo(data);
    }

    @Test
    void closeFromAnotherThreadEndsAWaitingReadAndThePump() throws Exception {
        FeedStream feed = new FeedStream();
        int fiveSeconds = 5 * WIRE.sampleRate();
        byte[] large = new byte[WIRE.bytes(fiveSeconds)];
        StdinSource source = source(StdinSettings.DEFAULTS, feed);
        source.open(WIRE, fiveSeconds); // a read may wait ten seconds
        CompletableFuture<Integer> read = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                read.complete(source.read(large, 0, large.length));
            } catch (Throwable e) {
                read.completeExceptionally(e);
            }
        });
        while (reader.getState() != Thread.State.TIMED_WAITING || !feed.readCalled()) {
            Thread.onSpinWait();
        }
        long closing = System.nanoTime();
        source.close();
        assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
        assertThat(System.nanoTime() - closing).as("close, including the pump's end (generous: loaded CI machines)")
                .isLessThan(2_000 * MS);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("streamer-stdin"));
        assertThat(source.read(large, 0, large.length)).isEqualTo(-1);
        source.close();
        assertThat(source.describe()).isEqualTo("stdin: raw 48000 Hz s16le stereo (closed)");
        assertThat(logger.at(Level.WARNING)).isEmpty();
    }

    @Test
    void aFailingInputFailsTheSourceWithTheReason() throws Exception {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Input/output error");
            }
        };
        try (StdinSource source = source(StdinSettings.DEFAULTS, broken)) {
            source.open(WIRE, PERIOD);
            assertThatThrownBy(() -> {
                while (source.read(buffer, 0, buffer.length) == 0) {
                    Thread.onSpinWait();
                }
            }).isInstanceOf(SourceException.class).hasMessage("stdin: reading standard input failed: Input/output error");
        }
    }

    @Test
    void openReturnsTheFormatOfTheSettingsWhateverTheWireIs() throws Exception {
        StdinSettings mpd24 = new StdinSettings(44_100, 24, 2, "s", false, 4);
        try (StdinSource source = source(mpd24, new ByteArrayInputStream(new byte[0]))) {
            assertThat(source.open(WIRE, PERIOD)).isEqualTo(new PcmFormat(44_100, 2, 24, 4, SampleEncoding.SIGNED, false));
            assertThat(source.describe()).isEqualTo("stdin: raw 44100 Hz s24in32le stereo");
        }
        assertThat(logger.at(Level.INFO)).containsExactly(
                "stdin: reading raw 44100 Hz s24in32le stereo from standard input; the engine converts it to 48000 Hz s16le stereo");
        assertThat(new StdinSettings(48_000, 24, 1, "s", false, 0).format()).isEqualTo(new PcmFormat(48_000, 1, 24, 3, SampleEncoding.SIGNED, false));
        assertThat(new StdinSettings(48_000, 16, 2, "u", true, 0).format()).isEqualTo(new PcmFormat(48_000, 2, 16, 2, SampleEncoding.UNSIGNED, true));
        assertThat(new StdinSettings(96_000, 32, 2, "f", false, 0).format()).isEqualTo(new PcmFormat(96_000, 2, 32, 4, SampleEncoding.FLOAT, false));
    }

    @Test
    void misuseIsReportedClearly() throws Exception {
        StdinSource closedFirst = source(StdinSettings.DEFAULTS, new ByteArrayInputStream(new byte[0]));
        closedFirst.close();
        assertThatThrownBy(() -> closedFirst.open(WIRE, PERIOD)).isInstanceOf(SourceException.class)
                .hasMessage("The stdin source was closed before it was opened.");
        try (StdinSource source = source(StdinSettings.DEFAULTS, new ByteArrayInputStream(new byte[0]))) {
            assertThatThrownBy(() -> source.read(buffer, 0, buffer.length)).isInstanceOf(IllegalStateException.class);
            source.open(WIRE, PERIOD);
            assertThatThrownBy(() -> source.read(buffer, 0, 3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("length 3 is less than one frame of 4 bytes");
        }
    }

    @Test
    void readingAllocatesNothing() throws Exception {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                Arrays.fill(b, off, off + len, (byte) 1);
                return len;
            }
        };
        try (StdinSource source = source(StdinSettings.DEFAULTS, endless)) {
            source.open(WIRE, PERIOD);
            for (int i = 0; i < 20_000; i++) {
                source.read(buffer, 0, buffer.length);
            }
            long bytes = 0;
            long before = Allocation.currentThread();
            for (int i = 0; i < 50_000; i++) {
                bytes += source.read(buffer, 0, buffer.length);
            }
            long allocated = Allocation.currentThread() - before;
            assertThat(bytes).isPositive();
            assertThat(allocated).as("bytes allocated by 50000 reads").isLessThan(10_000);
        }
    }
}
