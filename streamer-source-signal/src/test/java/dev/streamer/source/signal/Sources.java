package dev.streamer.source.signal;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.SourceException;
import dev.streamer.testkit.FakeClock;
import dev.streamer.testkit.RecordingLogger;
import java.io.ByteArrayOutputStream;

/** Helpers to run a signal source on a fake clock and decode what it delivers. */
final class Sources {

    private Sources() {
    }

    /** A source on {@code clock}, waiting by moving that clock. */
    static SignalSource on(FakeClock clock, SignalSettings settings) {
        return on(clock, settings, new RecordingLogger());
    }

    static SignalSource on(FakeClock clock, SignalSettings settings, RecordingLogger logger) {
        return new SignalSource(settings, new PluginContext(logger, clock), clock);
    }

    /** Open a source on a fake clock and return {@code frames} frames, read {@code chunkFrames} at a time. */
    static byte[] generate(SignalSettings settings, PcmFormat format, int frames, int chunkFrames) throws SourceException {
        FakeClock clock = new FakeClock(0);
        try (SignalSource source = on(clock, settings)) {
            source.open(format, chunkFrames);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[format.bytes(chunkFrames)];
            int wanted = format.bytes(frames);
            while (out.size() < wanted) {
                int n = source.read(buffer, 0, Math.min(buffer.length, wanted - out.size()));
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    /** Decode every sample of one channel (sign-extended integers, any container and byte order). */
    static long[] channel(byte[] pcm, PcmFormat format, int channel) {
        int frames = pcm.length / format.frameSize();
        long[] samples = new long[frames];
        int size = format.bytesPerSample();
        for (int i = 0; i < frames; i++) {
            int at = i * format.frameSize() + channel * size;
            long value = 0;
            for (int b = 0; b < size; b++) {
                int shift = 8 * (format.bigEndian() ? size - 1 - b : b);
                value |= (long) (pcm[at + b] & 0xff) << shift;
            }
            int unused = 64 - 8 * size;
            samples[i] = value << unused >> unused; // sign-extend the container
        }
        return samples;
    }

    /** Samples of channel 0 as doubles in -1..1 of the format's scale. */
    static double[] normalized(byte[] pcm, PcmFormat format) {
        long[] raw = channel(pcm, format, 0);
        double scale = (1L << (format.bits() - 1)) - 1;
        double[] x = new double[raw.length];
        for (int i = 0; i < raw.length; i++) {
            x[i] = raw[i] / scale;
        }
        return x;
    }

    /** Frequency from the interpolated rising zero crossings of {@code x[from, to)}. */
    static double zeroCrossingHz(double[] x, int from, int to, int rate) {
        double first = Double.NaN;
        double last = Double.NaN;
        int periods = -1;
        for (int i = from + 1; i < to; i++) {
            if (x[i - 1] < 0 && x[i] >= 0) {
                double at = i - 1 + -x[i - 1] / (x[i] - x[i - 1]);
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
     * Mean power spectral density of {@code x} in {@code [fromHz, toHz)}: Hann-windowed FFTs of
     * {@code n} samples, averaged over every whole block (Welch's method without overlap).
     */
    static double bandPower(double[] x, int n, int rate, double fromHz, double toHz) {
        double[] re = new double[n];
        double[] im = new double[n];
        double sum = 0;
        int bins = 0;
        for (int block = 0; block + n <= x.length; block += n) {
            for (int i = 0; i < n; i++) {
                double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
                re[i] = x[block + i] * w;
                im[i] = 0;
            }
            fft(re, im);
            for (int k = 1; k < n / 2; k++) {
                double hz = (double) k * rate / n;
                if (hz >= fromHz && hz < toHz) {
                    sum += re[k] * re[k] + im[k] * im[k];
                    bins++;
                }
            }
        }
        return sum / bins;
    }

    /** In-place iterative radix-2 FFT; {@code re.length} is a power of two. */
    private static void fft(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double angle = -2 * Math.PI / len;
            for (int i = 0; i < n; i += len) {
                for (int k = 0; k < len / 2; k++) {
                    double wr = Math.cos(angle * k);
                    double wi = Math.sin(angle * k);
                    int a = i + k;
                    int b = a + len / 2;
                    double xr = re[b] * wr - im[b] * wi;
                    double xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }
}
