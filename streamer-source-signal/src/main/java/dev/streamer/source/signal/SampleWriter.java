package dev.streamer.source.signal;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.SampleEncoding;

/**
 * Writes a sample from -1 to 1 into every channel of one frame, in any {@link PcmFormat}: signed
 * or unsigned integers of 8 to 32 bits in a container of their size or larger (sign-extended, as
 * Snapcast's 24-bit format needs), or 32-bit float, in either byte order. Allocation-free.
 *
 * <p>Integers are {@code round(x · (2^(bits-1) - 1))}: 0 dBFS peaks at +32767 and -32767 in 16
 * bits, symmetric and without clipping. Unsigned adds half the range; float is {@code x} itself.
 */
final class SampleWriter {
    private final int channels;
    private final int bytesPerSample;
    private final boolean bigEndian;
    private final SampleEncoding encoding;
    private final double scale;
    private final int unsignedOffset;

    SampleWriter(PcmFormat format) {
        this.channels = format.channels();
        this.bytesPerSample = format.bytesPerSample();
        this.bigEndian = format.bigEndian();
        this.encoding = format.encoding();
        this.scale = (1L << (format.bits() - 1)) - 1;
        this.unsignedOffset = 1 << (format.bits() - 1); // for 32 bits the int wraps to exactly the right bit pattern
    }

    /**
     * Write {@code x} to every channel of the frame at {@code buffer[at]}.
     *
     * @return the index just after the frame
     */
    int writeFrame(double x, byte[] buffer, int at) {
        int value = encode(x);
        for (int channel = 0; channel < channels; channel++) {
            at = put(value, buffer, at);
        }
        return at;
    }

    /** Return the bits of one sample: the integer value (sign-extended to 32 bits) or the float's bits. */
    int encode(double x) {
        return switch (encoding) {
            case SIGNED -> (int) Math.round(x * scale);
            case UNSIGNED -> (int) Math.round(x * scale) + unsignedOffset;
            case FLOAT -> Float.floatToRawIntBits((float) x);
        };
    }

    /** Store the low {@code bytesPerSample} bytes of {@code value}, so a wider container carries the sign extension. */
    private int put(int value, byte[] buffer, int at) {
        if (bigEndian) {
            for (int shift = 8 * (bytesPerSample - 1); shift >= 0; shift -= 8) {
                buffer[at++] = (byte) (value >> shift);
            }
        } else {
            for (int shift = 0; shift < 8 * bytesPerSample; shift += 8) {
                buffer[at++] = (byte) (value >> shift);
            }
        }
        return at;
    }
}
