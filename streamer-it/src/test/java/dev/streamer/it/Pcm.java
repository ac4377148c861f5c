package dev.streamer.it;

/** Raw s16le interleaved PCM for the tests: analysis, and noise to send. */
final class Pcm {
    private Pcm() {
    }

    /** Deterministic, non-periodic stereo noise at about -12 dBFS peak: an LCG's high bits. */
    static byte[] noise(long seed, int frames) {
        byte[] pcm = new byte[frames * PulsePlayer.FRAME_BYTES];
        long state = seed;
        for (int i = 0; i < frames * 2; i++) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            int sample = ((int) (state >>> 48) - 32768) / 4;
            pcm[2 * i] = (byte) sample;
            pcm[2 * i + 1] = (byte) (sample >> 8);
        }
        return pcm;
    }

    /** Return one channel of interleaved s16le as samples. */
    static short[] channel(byte[] pcm, int length, int channels, int channel) {
        int frames = length / (2 * channels);
        short[] samples = new short[frames];
        for (int i = 0; i < frames; i++) {
            int at = (i * channels + channel) * 2;
            samples[i] = (short) ((pcm[at] & 0xff) | (pcm[at + 1] << 8));
        }
        return samples;
    }

    /** Return the RMS of {@code x[from, to)} relative to full scale (a full-scale sine is 0.707). */
    static double rms(short[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) x[i] * x[i];
        }
        return to > from ? Math.sqrt(sum / (to - from)) / 32768.0 : 0;
    }

    /**
     * Return the frequency from the rising zero crossings of {@code x[from, to)}: the number of
     * whole periods between the first and the last crossing over the time between them, with the
     * crossings interpolated between samples.
     */
    static double zeroCrossingHz(short[] x, int from, int to, int rate) {
        double first = Double.NaN;
        double last = Double.NaN;
        int periods = -1;
        for (int i = from + 1; i < to; i++) {
            if (x[i - 1] < 0 && x[i] >= 0) {
                double at = i - 1 + (double) -x[i - 1] / (x[i] - x[i - 1]);
                if (periods < 0) {
                    first = at;
                }
                last = at;
                periods++;
            }
        }
        return periods > 0 ? periods * rate / (last - first) : 0;
    }

    /**
     * Return how much of the energy of {@code x[from, to)} lies at {@code hz} (Goertzel): about 1
     * for a pure sine of that frequency, about 0 for one far from it or for noise.
     */
    static double powerShareAt(short[] x, int from, int to, double hz, int rate) {
        int n = to - from;
        double coefficient = 2 * Math.cos(2 * Math.PI * hz / rate);
        double s1 = 0;
        double s2 = 0;
        double energy = 0;
        for (int i = from; i < to; i++) {
            double s0 = x[i] + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
            energy += (double) x[i] * x[i];
        }
        double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2; // |X(hz)|^2
        return energy == 0 ? 0 : 2 * power / n / energy;
    }

    /**
     * Return {@code [from, to)} of the longest run of blocks of {@code blockFrames} whose RMS is at
     * least {@code threshold}: where the tone is, as opposed to the silence before and after it.
     */
    static int[] loudestRun(short[] x, int blockFrames, double threshold) {
        int bestFrom = 0;
        int bestTo = 0;
        int runFrom = -1;
        for (int block = 0; block + blockFrames <= x.length; block += blockFrames) {
            boolean loud = rms(x, block, block + blockFrames) >= threshold;
            if (loud && runFrom < 0) {
                runFrom = block;
            }
            if (!loud) {
                runFrom = -1;
            }
            if (runFrom >= 0 && block + blockFrames - runFrom > bestTo - bestFrom) {
                bestFrom = runFrom;
                bestTo = block + blockFrames;
            }
        }
        return new int[] {bestFrom, bestTo};
    }

    /** Return where {@code key[keyFrom, keyFrom+keyLength)} occurs in {@code data[0, length)} at a multiple of {@code step}, or -1. */
    static int indexOf(byte[] data, int length, byte[] key, int keyFrom, int keyLength, int step, int startAt) {
        outer:
        for (int at = startAt; at + keyLength <= length; at += step) {
            for (int k = 0; k < keyLength; k++) {
                if (data[at + k] != key[keyFrom + k]) {
                    continue outer;
                }
            }
            return at;
        }
        return -1;
    }

    /** Return how many bytes of {@code a[aFrom..]} and {@code b[bFrom..]} are equal before the first difference. */
    static int matchingBytes(byte[] a, int aFrom, int aLength, byte[] b, int bFrom, int bLength) {
        int n = 0;
        while (aFrom + n < aLength && bFrom + n < bLength && a[aFrom + n] == b[bFrom + n]) {
            n++;
        }
        return n;
    }

    /**
     * Describe where the blocks of {@code expected} (of {@code blockBytes}, frame multiples) are in
     * {@code actual}: runs of blocks at the same offset, and blocks found nowhere. A change of offset
     * between runs is audio dropped (offset falls) or inserted (offset grows) on the way.
     */
    static String alignment(byte[] expected, byte[] actual, int blockBytes, int frameBytes) {
        StringBuilder out = new StringBuilder();
        long runOffset = Long.MIN_VALUE;
        int runFrom = 0;
        int missing = 0;
        int searchFrom = 0;
        for (int block = 0; block + blockBytes <= expected.length; block += blockBytes) {
            int at = indexOf(actual, actual.length, expected, block, blockBytes, frameBytes, searchFrom);
            long offset = at < 0 ? Long.MIN_VALUE + 1 : (long) at - block;
            if (offset != runOffset) {
                if (block > 0) {
                    out.append(describeRun(runFrom, block, runOffset));
                }
                runOffset = offset;
                runFrom = block;
            }
            if (at < 0) {
                missing++;
            } else {
                searchFrom = at + blockBytes;
            }
        }
        out.append(describeRun(runFrom, expected.length - expected.length % blockBytes, runOffset));
        return out.append(missing).append(" of ").append(expected.length / blockBytes).append(" blocks of ")
                .append(blockBytes).append(" bytes not found").toString();
    }

    private static String describeRun(int from, int to, long offset) {
        return "expected bytes " + from + ".." + to + (offset == Long.MIN_VALUE + 1 ? ": not found" : ": at offset " + offset) + "\n";
    }
}
