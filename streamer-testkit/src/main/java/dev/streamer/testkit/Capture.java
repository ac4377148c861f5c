package dev.streamer.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceException;
import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What a capture test read from a real source, and how the reads went.
 *
 * @param bytes the audio, in the source's format
 * @param seconds from the start given to {@link #read} to the end of the last read
 * @param reads how many reads there were
 * @param empty how many of them returned nothing
 * @param maxChunk the most bytes one read returned
 * @param longestReadNanos the longest one read took
 */
public record Capture(byte[] bytes, double seconds, int reads, int empty, int maxChunk, long longestReadNanos) {

    /**
     * Read from {@code start} (just before open: a device runs from open on) for {@code millis}, with
     * a buffer larger than a period so that the source must cap each read itself. Every read must
     * return whole frames; nothing in the loop may load classes slowly.
     */
    public static Capture read(Source source, PcmFormat format, int periodFrames, long start, long millis) throws SourceException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[format.bytes(periodFrames) * 4];
        long end = start + millis * 1_000_000;
        int reads = 0;
        int empty = 0;
        int maxChunk = 0;
        long longest = 0;
        while (System.nanoTime() < end) {
            long before = System.nanoTime();
            int n = source.read(buffer, 0, buffer.length);
            longest = Math.max(longest, System.nanoTime() - before);
            if (n < 0 || n % format.frameSize() != 0) {
                throw new AssertionError("read returned " + n + " bytes, not whole frames of " + format.frameSize());
            }
            out.write(buffer, 0, n);
            reads++;
            empty += n == 0 ? 1 : 0;
            maxChunk = Math.max(maxChunk, n);
        }
        return new Capture(out.toByteArray(), (System.nanoTime() - start) / 1e9, reads, empty, maxChunk, longest);
    }

    /**
     * Read from the open {@code source} on a platform thread named {@code capture}, {@code bufferBytes}
     * at a time, and close it from this thread after {@code readMillis}.
     *
     * @return how long after close() began a read returned -1, in nanoseconds
     * @throws Exception a read's failure (as an ExecutionException), or a TimeoutException if no read ended within 2 s
     */
    public static long closeWhileReading(Source source, int bufferBytes, long readMillis) throws Exception {
        CompletableFuture<Long> endedAt = readUntilClosed(source, bufferBytes);
        Thread.sleep(readMillis);
        long closedAt = System.nanoTime();
        source.close();
        return endedAt.get(2, TimeUnit.SECONDS) - closedAt;
    }

    /** Read until a read returns -1; complete with when it did ({@link System#nanoTime}), or with the read's failure. */
    private static CompletableFuture<Long> readUntilClosed(Source source, int bufferBytes) {
        CompletableFuture<Long> endedAt = new CompletableFuture<>();
        Thread.ofPlatform().name("capture").start(() -> {
            byte[] buffer = new byte[bufferBytes];
            try {
                while (source.read(buffer, 0, buffer.length) >= 0) {
                    // keep reading until closed
                }
                endedAt.complete(System.nanoTime());
            } catch (Throwable e) {
                endedAt.completeExceptionally(e);
            }
        });
        return endedAt;
    }

    /** Assert that the middle of the first channel is a tone of {@code frequency} Hz, played at -6 dBFS. */
    public void assertTone(PcmFormat format, int frequency) {
        double[] samples = Signals.middle(Signals.firstChannel(bytes, bytes.length, format));
        double dominant = Signals.dominantFrequency(samples, format.sampleRate());
        double rms = Signals.rms(samples);
        System.getLogger(Capture.class.getName()).log(System.Logger.Level.INFO, () -> String.format(Locale.ROOT,
                "%s: dominant %.1f Hz (expected %d), RMS %.3f of full scale", format, dominant, frequency, rms));
        assertThat(dominant).isCloseTo(frequency, within(frequency * 0.03));
        // the tone is played at -6 dBFS (RMS 0.354): well above silence, and not beyond full scale,
        // which a wrongly aligned 24-bit container would give
        assertThat(rms).isBetween(0.05, 1.0);
    }
}
