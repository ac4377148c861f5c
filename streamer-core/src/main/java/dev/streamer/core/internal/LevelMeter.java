package dev.streamer.core.internal;

import dev.streamer.api.PcmFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;

/**
 * Peak and RMS level of a chunk of wire-format audio (signed little-endian, 16 bits, 24 bits in a
 * 4-byte word, or 32 bits), in dBFS: 0 dBFS is full scale; RMS is relative to a full-scale square
 * wave, so a full-scale sine reads -3 dBFS. Digital silence reads {@value #FLOOR_DBFS} dBFS.
 *
 * <p>{@link #measure} reads the buffer with absolute gets (its position is untouched) and allocates
 * nothing after the first chunk of a buffer; the results are published for other threads.
 */
public final class LevelMeter {
    /** The level reported for digital silence. */
    public static final double FLOOR_DBFS = -120;

    private final int bytesPerSample;
    private final int bits;
    private final double fullScale;
    // one thread at a time measures: the views of the last buffer measured, and the samples copied from it
    private ByteBuffer viewed;
    private ShortBuffer shortView;
    private IntBuffer intView;
    private short[] shorts = new short[0];
    private int[] ints = new int[0];
    private volatile double peakDbfs = FLOOR_DBFS;
    private volatile double rmsDbfs = FLOOR_DBFS;

    public LevelMeter(PcmFormat wire) {
        if (wire.bigEndian() || wire.encoding() != dev.streamer.api.SampleEncoding.SIGNED || wire.bytesPerSample() != 2 && wire.bytesPerSample() != 4) {
            throw new IllegalArgumentException("the level meter reads signed little-endian wire audio, not " + wire);
        }
        this.bytesPerSample = wire.bytesPerSample();
        this.bits = wire.bits();
        this.fullScale = Math.pow(2, bits - 1);
    }

    /** Measure {@code length} bytes from the buffer's position; return the peak in dBFS. */
    public double measure(ByteBuffer chunk, int length) {
        int count = length / bytesPerSample;
        view(chunk, count);
        int first = chunk.position() / bytesPerSample;
        int offset = chunk.position() % bytesPerSample;
        long peak = 0;
        double sumSquares = 0;
        // One bulk copy into an array, then a plain loop: this runs on every chunk, compiled by C1 only
        // in the image, where a get per sample was a call per sample (a third of the sender's own time).
        if (bytesPerSample == 2) {
            if (offset == 0) {
                shortView.get(first, shorts, 0, count);
            } else {
                chunk.slice().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(0, shorts, 0, count);
            }
            for (int i = 0; i < count; i++) {
                int sample = shorts[i];
                int magnitude = Math.abs(sample);
                if (magnitude > peak) {
                    peak = magnitude;
                }
                sumSquares += (double) (sample * sample);
            }
        } else {
            if (offset == 0) {
                intView.get(first, ints, 0, count);
            } else {
                chunk.slice().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(0, ints, 0, count);
            }
            for (int i = 0; i < count; i++) {
                long sample = bits == 24 ? (ints[i] << 8) >> 8 : ints[i];
                long magnitude = Math.abs(sample);
                if (magnitude > peak) {
                    peak = magnitude;
                }
                sumSquares += (double) sample * sample;
            }
        }
        double p = toDbfs(peak / fullScale);
        peakDbfs = p;
        rmsDbfs = count == 0 ? FLOOR_DBFS : Math.max(FLOOR_DBFS, 10 * Math.log10(sumSquares / count / (fullScale * fullScale)));
        return p;
    }

    /** Look at {@code chunk} through a little-endian view, and have room for {@code count} samples; allocates only for a new buffer. */
    private void view(ByteBuffer chunk, int count) {
        if (chunk != viewed) {
            viewed = chunk;
            ByteBuffer whole = chunk.duplicate().clear().order(ByteOrder.LITTLE_ENDIAN); // the wire's order, whatever the buffer's
            if (bytesPerSample == 2) {
                shortView = whole.asShortBuffer();
            } else {
                intView = whole.asIntBuffer();
            }
        }
        if (bytesPerSample == 2 && shorts.length < count) {
            shorts = new short[count];
        } else if (bytesPerSample == 4 && ints.length < count) {
            ints = new int[count];
        }
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
