package dev.streamer.core.internal;

import dev.streamer.api.PcmFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Peak and RMS level of a chunk of wire-format audio (signed little-endian, 16 bits, 24 bits in a
 * 4-byte word, or 32 bits), in dBFS: 0 dBFS is full scale; RMS is relative to a full-scale square
 * wave, so a full-scale sine reads -3 dBFS. Digital silence reads {@value #FLOOR_DBFS} dBFS.
 *
 * <p>{@link #measure} reads the buffer with absolute gets (its position is untouched) and allocates
 * nothing; the results are published for other threads.
 */
public final class LevelMeter {
    /** The level reported for digital silence. */
    public static final double FLOOR_DBFS = -120;

    private final int bytesPerSample;
    private final int bits;
    private final double fullScale;
    private volatile double peakDbfs = FLOOR_DBFS;
    private volatile double rmsDbfs = FLOOR_DBFS;

    public LevelMeter(PcmFormat wire) {
        if (wire.bigEndian() || wire.encoding() != dev.streamer.api.SampleEncoding.SIGNED || wire.bytesPerSample() < 2) {
            throw new IllegalArgumentException("the level meter reads signed little-endian wire audio, not " + wire);
        }
        this.bytesPerSample = wire.bytesPerSample();
        this.bits = wire.bits();
        this.fullScale = Math.pow(2, bits - 1);
    }

    /** Measure {@code length} bytes from the buffer's position; return the peak in dBFS. */
    public double measure(ByteBuffer chunk, int length) {
        int start = chunk.position();
        int end = start + length - length % bytesPerSample;
        long peak = 0;
        double sumSquares = 0;
        int count = 0;
        // one wide get per sample, not one per byte: this runs on every chunk, compiled by C1 only in the image
        boolean swap = chunk.order() != ByteOrder.LITTLE_ENDIAN;
        for (int i = start; i < end; i += bytesPerSample) {
            long sample;
            if (bytesPerSample == 2) {
                short s = chunk.getShort(i);
                sample = swap ? Short.reverseBytes(s) : s;
            } else {
                int word = chunk.getInt(i);
                word = swap ? Integer.reverseBytes(word) : word;
                sample = bits == 24 ? (word << 8) >> 8 : word;
            }
            long magnitude = Math.abs(sample);
            if (magnitude > peak) {
                peak = magnitude;
            }
            sumSquares += (double) sample * sample;
            count++;
        }
        double p = toDbfs(peak / fullScale);
        peakDbfs = p;
        rmsDbfs = count == 0 ? FLOOR_DBFS : Math.max(FLOOR_DBFS, 10 * Math.log10(sumSquares / count / (fullScale * fullScale)));
        return p;
    }

    private static double toDbfs(double ratio) {
        return ratio <= 0 ? FLOOR_DBFS : Math.max(FLOOR_DBFS, 20 * Math.log10(ratio));
    }

    /** Return the peak level of the last chunk measured. */
    public double peakDbfs() {
        return peakDbfs;
    }

    /** Return the RMS level of the last chunk measured. */
    public double rmsDbfs() {
        return rmsDbfs;
    }

    /** Forget the last chunk: report silence until the next one. */
    public void reset() {
        peakDbfs = FLOOR_DBFS;
        rmsDbfs = FLOOR_DBFS;
    }
}
