package dev.streamer.testkit;

import dev.streamer.api.PcmFormat;

/** Decoding and analysis of captured PCM for the tests. */
public final class Signals {

    /** The tone the capture tests play: 48 kHz stereo, signed 16-bit little-endian, at -6 dBFS. */
    public static final int TONE_RATE = 48_000;

    private Signals() {
    }

    /**
     * Fill {@code chunk} (whole stereo s16le frames) with a sine of {@code frequency} Hz at -6 dBFS,
     * both channels alike, starting at frame {@code frame} of the tone.
     *
     * @return the frame that follows, where the next chunk starts
     */
    public static long sine(byte[] chunk, double frequency, long frame) {
        for (int i = 0; i < chunk.length / 4; i++, frame++) {
            short s = (short) Math.round(0.5 * 32767 * Math.sin(2 * Math.PI * frequency * frame / TONE_RATE));
            for (int ch = 0; ch < 2; ch++) {
                chunk[i * 4 + ch * 2] = (byte) s;
                chunk[i * 4 + ch * 2 + 1] = (byte) (s >> 8);
            }
        }
        return frame;
    }

    /** Return channel 0 of {@code length} bytes of {@code format} as samples in -1..1. */
    public static double[] firstChannel(byte[] data, int length, PcmFormat format) {
        int frames = length / format.frameSize();
        double[] out = new double[frames];
        int size = format.bytesPerSample();
        for (int i = 0; i < frames; i++) {
            int at = i * format.frameSize();
            long raw = 0;
            for (int b = 0; b < size; b++) {
                int octet = data[at + (format.bigEndian() ? b : size - 1 - b)] & 0xff;
                raw = raw << 8 | octet;
            }
            out[i] = switch (format.encoding()) {
                case FLOAT -> Float.intBitsToFloat((int) raw);
                case UNSIGNED -> (raw - (1L << (format.bits() - 1))) / (double) (1L << (format.bits() - 1));
                // significant bits sit in the low end of the container (ALSA's S24_LE), so sign-extend from them
                case SIGNED -> (raw << (64 - format.bits()) >> (64 - format.bits())) / (double) (1L << (format.bits() - 1));
            };
        }
        return out;
    }

    public static double rms(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v * v;
        }
        return Math.sqrt(sum / Math.max(1, x.length));
    }

    /** Return the frequency with the most energy between 50 Hz and 5 kHz (Goertzel scan, then refined). */
    public static double dominantFrequency(double[] x, int sampleRate) {
        double best = scan(x, sampleRate, 50, 5_000, 5);
        return scan(x, sampleRate, best - 5, best + 5, 0.25);
    }

    private static double scan(double[] x, int sampleRate, double from, double to, double step) {
        double best = from;
        double bestPower = -1;
        for (double f = from; f <= to; f += step) {
            double p = power(x, sampleRate, f);
            if (p > bestPower) {
                best = f;
                bestPower = p;
            }
        }
        return best;
    }

    public static double power(double[] x, int sampleRate, double frequency) {
        double coefficient = 2 * Math.cos(2 * Math.PI * frequency / sampleRate);
        double s1 = 0;
        double s2 = 0;
        for (double v : x) {
            double s = v + coefficient * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    }

    /** Return the middle half of {@code x}, away from start-up and shut-down effects. */
    public static double[] middle(double[] x) {
        int from = x.length / 4;
        double[] out = new double[x.length / 2];
        System.arraycopy(x, from, out, 0, out.length);
        return out;
    }
}
