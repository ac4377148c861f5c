package dev.streamer.core.internal;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.SampleEncoding;

/**
 * Converts interleaved PCM from the format a source delivers to the wire format: channel count,
 * bit depth, container size, byte order and integer/float encoding. Allocation-free per call.
 *
 * <p>Every sample goes through a 32-bit signed intermediate, full scale at 2^31:
 * <ul>
 *   <li>widening (16 to 24 or 32 bits) is exact, a left shift;
 *   <li>narrowing rounds to the nearest value, halves away from minus infinity, and saturates at
 *       the positive full scale, so there is no DC bias and no wrap-around;
 *   <li>float is scaled by 2^31, rounded and clamped on the way in, divided by 2^31 on the way out;
 *   <li>unsigned is offset by half the range.
 * </ul>
 * Channels: mono to N copies the one channel; N to mono averages all of them; more than two to
 * stereo keeps the first two (front left and right, the usual order); otherwise channel i goes to i.
 *
 * <p>Sample-rate conversion is not done here: a rate mismatch is refused, never played too fast or
 * too slow.
 */
public final class PcmConverter {
    private static final long FULL_SCALE = 1L << 31;

    private final PcmFormat in;
    private final PcmFormat out;
    private final boolean identity;
    private final int inFrame;
    private final int outFrame;

    private PcmConverter(PcmFormat in, PcmFormat out) {
        this.in = in;
        this.out = out;
        // a container with unused high bits (24 in 4 bytes) is rewritten even between equal formats,
        // so the wire always carries them sign-extended, whatever the source left there
        this.identity = in.equals(out) && in.bits() == in.bytesPerSample() * 8;
        this.inFrame = in.frameSize();
        this.outFrame = out.frameSize();
    }

    /**
     * Return a converter from {@code in} to {@code out}.
     *
     * @throws IllegalArgumentException if the sample rates differ
     */
    public static PcmConverter between(PcmFormat in, PcmFormat out) {
        if (in.sampleRate() != out.sampleRate()) {
            throw new IllegalArgumentException("the source delivers " + in.sampleRate() + " Hz but the wire format is "
                    + out.sampleRate() + " Hz; streamer does not resample, so choose the wire rate " + in.sampleRate()
                    + " (--rate " + in.sampleRate() + ") or a device that offers " + out.sampleRate() + " Hz");
        }
        return new PcmConverter(in, out);
    }

    /** Return whether bytes pass through unchanged: equal formats without unused container bits. */
    public boolean isIdentity() {
        return identity;
    }

    /** Return the output bytes produced from {@code inputBytes} input bytes (whole frames only). */
    public int outputBytes(int inputBytes) {
        return inputBytes / inFrame * outFrame;
    }

    /**
     * Convert the whole frames in {@code src[srcOffset, srcOffset + length)} into {@code dst} at
     * {@code dstOffset}.
     *
     * @return the bytes written to {@code dst}
     */
    public int convert(byte[] src, int srcOffset, int length, byte[] dst, int dstOffset) {
        int frames = length / inFrame;
        if (identity) {
            System.arraycopy(src, srcOffset, dst, dstOffset, frames * inFrame);
            return frames * inFrame;
        }
        int inChannels = in.channels();
        int outChannels = out.channels();
        int inSample = in.bytesPerSample();
        int outSample = out.bytesPerSample();
        for (int frame = 0; frame < frames; frame++) {
            int inBase = srcOffset + frame * inFrame;
            int outBase = dstOffset + frame * outFrame;
            if (outChannels == 1 && inChannels > 1) {
                long sum = 0;
                for (int c = 0; c < inChannels; c++) {
                    sum += decode(src, inBase + c * inSample);
                }
                encode(Math.floorDiv(sum, inChannels), dst, outBase);
            } else {
                for (int c = 0; c < outChannels; c++) {
                    int source = inChannels == 1 ? 0 : Math.min(c, inChannels - 1);
                    encode(decode(src, inBase + source * inSample), dst, outBase + c * outSample);
                }
            }
        }
        return frames * outFrame;
    }

    /** Read one sample as a signed value with full scale at 2^31. */
    private long decode(byte[] b, int at) {
        int size = in.bytesPerSample();
        int raw = 0;
        for (int i = 0; i < size; i++) {
            int octet = b[at + (in.bigEndian() ? i : size - 1 - i)] & 0xff;
            raw = (raw << 8) | octet;
        }
        return switch (in.encoding()) {
            case FLOAT -> {
                double scaled = Math.rint(Float.intBitsToFloat(raw) * (double) FULL_SCALE);
                yield (long) Math.max(-FULL_SCALE, Math.min(FULL_SCALE - 1, scaled));
            }
            case SIGNED -> {
                // the significant bits are the low `bits` of the container: sign-extend them
                int shift = 32 - in.bits();
                yield (long) ((raw << shift) >> shift) << shift;
            }
            case UNSIGNED -> {
                int shift = 32 - in.bits();
                yield ((long) raw - (1L << (in.bits() - 1))) << shift;
            }
        };
    }

    /** Write one sample given as a signed value with full scale at 2^31. */
    private void encode(long value, byte[] b, int at) {
        int raw;
        if (out.encoding() == SampleEncoding.FLOAT) {
            raw = Float.floatToRawIntBits((float) (value / (double) FULL_SCALE));
        } else {
            int shift = 32 - out.bits();
            long rounded = shift == 0 ? value : (value + (1L << (shift - 1))) >> shift;
            long max = (1L << (out.bits() - 1)) - 1;
            long min = -(1L << (out.bits() - 1));
            rounded = Math.max(min, Math.min(max, rounded));
            if (out.encoding() == SampleEncoding.UNSIGNED) {
                rounded += 1L << (out.bits() - 1);
            }
            raw = (int) rounded; // sign-extended into the unused high bytes of a wider container
        }
        int size = out.bytesPerSample();
        for (int i = 0; i < size; i++) {
            byte octet = (byte) (raw >>> (8 * (size - 1 - i)));
            b[at + (out.bigEndian() ? i : size - 1 - i)] = octet;
        }
    }
}
