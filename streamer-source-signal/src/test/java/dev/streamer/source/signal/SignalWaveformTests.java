package dev.streamer.source.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.SampleEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the generator produces, sample for sample, in the formats the engine asks for. */
class SignalWaveformTests {
    private static final int RATE = 48_000;
    private static final PcmFormat S16_STEREO = PcmFormat.wire(RATE, 16, 2);
    private static final PcmFormat S16_MONO = PcmFormat.wire(RATE, 16, 1);

    private static SignalSettings settings(String waveform, double hz, double dbfs) {
        return new SignalSettings(waveform, hz, 20_000, 10, dbfs, 500, 1, 0);
    }

    private static long peak(int bits, double dbfs) {
        return Math.round(Math.pow(10, dbfs / 20) * ((1L << (bits - 1)) - 1));
    }

    @ParameterizedTest(name = "{0} bits, {1} channels")
    @CsvSource({"16,1", "16,2", "24,1", "24,2", "32,1", "32,2"})
    void aSineAtAQuarterOfTheRateIsZeroPeakZeroMinusPeakOnEveryChannel(int bits, int channels) throws Exception {
        PcmFormat format = PcmFormat.wire(RATE, bits, channels);
        byte[] pcm = Sources.generate(settings("sine", RATE / 4.0, 0), format, 8, 240);

        long full = peak(bits, 0);
        assertThat(pcm).hasSize(format.bytes(8));
        for (int channel = 0; channel < channels; channel++) {
            assertThat(Sources.channel(pcm, format, channel)).as("channel %d", channel)
                    .containsExactly(0, full, 0, -full, 0, full, 0, -full);
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @CsvSource({"16", "24", "32"})
    void aSineMatchesTheFormulaAtEveryPhaseWithinHalfAStep(int bits) throws Exception {
        PcmFormat format = PcmFormat.wire(RATE, bits, 2);
        byte[] pcm = Sources.generate(settings("sine", 1000, -12), format, 4_800, 240);

        double amplitude = Math.pow(10, -12 / 20.0) * ((1L << (bits - 1)) - 1);
        long[] left = Sources.channel(pcm, format, 0);
        assertThat(Sources.channel(pcm, format, 1)).as("right = left").containsExactly(left);
        for (int n = 0; n < left.length; n++) {
            double expected = amplitude * Math.sin(2 * Math.PI * 1000 * n / RATE);
            assertThat((double) left[n]).as("sample %d", n).isCloseTo(expected, within(0.501));
        }
        // known phases: 0, a quarter, a half, three quarters of the 48-sample cycle
        long top = peak(bits, -12);
        assertThat(new long[] {left[0], left[12], left[36], left[48]}).containsExactly(0, top, -top, 0);
    }

    @Test
    void theSineFunctionIsAccurateAtEveryPhase() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            double cycles = random.nextDouble(-3, 3);
            assertThat(Generator.sinCycles(cycles)).as("sin(2pi * %s)", cycles).isCloseTo(Math.sin(2 * Math.PI * cycles), within(1e-14));
        }
        assertThat(new double[] {Generator.sinCycles(0), Generator.sinCycles(0.25), Generator.sinCycles(0.5), Generator.sinCycles(0.75)})
                .containsExactly(0, 1, 0, -1);
    }

    @Test
    void twentyFourBitSamplesAreSignExtendedInTheWireContainerAndPackedInThree() throws Exception {
        PcmFormat wire = PcmFormat.wire(RATE, 24, 1);
        PcmFormat packed = new PcmFormat(RATE, 1, 24, 3, SampleEncoding.SIGNED, false);

        // 0, +8388607 (0x7FFFFF), 0, -8388607 (0xFF800001)
        assertThat(Sources.generate(settings("sine", RATE / 4.0, 0), wire, 4, 240)).containsExactly(
                0, 0, 0, 0, 0xff, 0xff, 0x7f, 0, 0, 0, 0, 0, 0x01, 0x00, 0x80, 0xff);
        assertThat(Sources.generate(settings("sine", RATE / 4.0, 0), packed, 4, 240)).containsExactly(
                0, 0, 0, 0xff, 0xff, 0x7f, 0, 0, 0, 0x01, 0x00, 0x80);
    }

    @Test
    void floatUnsignedAndBigEndianLayoutsAreGeneratedWhenAsked() throws Exception {
        PcmFormat floatBe = new PcmFormat(RATE, 1, 32, 4, SampleEncoding.FLOAT, true);
        ByteBuffer floats = ByteBuffer.wrap(Sources.generate(settings("sine", RATE / 4.0, -6), floatBe, 4, 240)).order(ByteOrder.BIG_ENDIAN);
        double a = Math.pow(10, -6 / 20.0);
        assertThat(floats.getFloat(0)).isZero();
        assertThat((double) floats.getFloat(4)).isCloseTo(a, within(1e-7));
        assertThat((double) floats.getFloat(8)).isCloseTo(0, within(1e-7));
        assertThat((double) floats.getFloat(12)).isCloseTo(-a, within(1e-7));

        PcmFormat unsignedBe = new PcmFormat(RATE, 1, 16, 2, SampleEncoding.UNSIGNED, true);
        assertThat(Sources.generate(settings("sine", RATE / 4.0, 0), unsignedBe, 4, 240))
                .containsExactly(0x80, 0x00, 0xff, 0xff, 0x80, 0x00, 0x00, 0x01); // 32768, 65535, 32768, 1

        PcmFormat u8 = new PcmFormat(8_000, 1, 8, 1, SampleEncoding.UNSIGNED, false);
        assertThat(Sources.generate(settings("sine", 2_000, 0), u8, 4, 80)).containsExactly(128, 255, 128, 1);
    }

    @Test
    void theSineIsPhaseContinuousWhateverSizeTheReadsHave() throws Exception {
        SignalSettings tone = settings("sine", 997, -3);
        byte[] byPeriods = Sources.generate(tone, S16_STEREO, RATE, 240);
        byte[] byOddReads = Sources.generate(tone, S16_STEREO, RATE, 7);
        byte[] byLargeReads = Sources.generate(tone, S16_STEREO, RATE, 4_096);

        assertThat(byOddReads).as("read 7 frames at a time").isEqualTo(byPeriods);
        assertThat(byLargeReads).as("read 4096 frames at a time").isEqualTo(byPeriods);
        long[] x = Sources.channel(byPeriods, S16_STEREO, 0);
        long maxStep = (long) Math.ceil(2 * Math.PI * 997 / RATE * peak(16, -3)) + 1;
        for (int n = 1; n < x.length; n++) {
            assertThat(Math.abs(x[n] - x[n - 1])).as("step into sample %d", n).isLessThanOrEqualTo(maxStep);
        }
    }

    @Test
    void silenceIsDigitalZeroInEveryEncoding() throws Exception {
        assertThat(Sources.generate(settings("silence", 440, -12), S16_STEREO, 1_000, 240)).containsOnly(0);
        assertThat(Sources.generate(settings("silence", 440, 0), new PcmFormat(RATE, 1, 32, 4, SampleEncoding.FLOAT, false),
                1_000, 240)).containsOnly(0);
        byte[] unsigned = Sources.generate(settings("silence", 440, 0), new PcmFormat(RATE, 1, 16, 2, SampleEncoding.UNSIGNED, false),
                100, 240);
        for (int i = 0; i < unsigned.length; i += 2) {
            assertThat(new byte[] {unsigned[i], unsigned[i + 1]}).containsExactly(0x00, 0x80);
        }
    }

    @Test
    void whiteNoiseIsReproducibleFromItsSeedAndStaysWithinItsLevel() throws Exception {
        SignalSettings seeded = new SignalSettings("white", 440, 20_000, 10, -6, 500, 42, 0);
        byte[] once = Sources.generate(seeded, S16_MONO, RATE, 240);
        byte[] again = Sources.generate(seeded, S16_MONO, RATE, 100);
        byte[] otherSeed = Sources.generate(new SignalSettings("white", 440, 20_000, 10, -6, 500, 43, 0), S16_MONO, RATE, 240);

        assertThat(again).as("same seed, other read sizes").isEqualTo(once);
        assertThat(otherSeed).as("another seed").isNotEqualTo(once);
        long limit = peak(16, -6);
        long[] x = Sources.channel(once, S16_MONO, 0);
        double sum = 0;
        double squares = 0;
        for (long v : x) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(limit);
            sum += v;
            squares += (double) v * v;
        }
        assertThat(sum / x.length / limit).as("mean, relative to the peak").isCloseTo(0, within(0.01));
        assertThat(Math.sqrt(squares / x.length) / limit).as("RMS of uniform noise: peak/sqrt(3)").isCloseTo(1 / Math.sqrt(3), within(0.01));
    }

    @Test
    void pinkNoiseFallsThreeDecibelsPerOctaveWhereWhiteNoiseIsFlat() throws Exception {
        PcmFormat mono32 = PcmFormat.wire(RATE, 32, 1);
        int frames = 1 << 18; // 5.5 s: 64 blocks of 4096
        double[] pink = Sources.normalized(Sources.generate(settings("pink", 440, -6), mono32, frames, 4_800), mono32);
        double[] white = Sources.normalized(Sources.generate(settings("white", 440, -6), mono32, frames, 4_800), mono32);

        // 200-400 Hz against 3200-6400 Hz: four octaves apart
        double pinkSlope = 10 * Math.log10(Sources.bandPower(pink, 4096, RATE, 3_200, 6_400)
                / Sources.bandPower(pink, 4096, RATE, 200, 400)) / 4;
        double whiteSlope = 10 * Math.log10(Sources.bandPower(white, 4096, RATE, 3_200, 6_400)
                / Sources.bandPower(white, 4096, RATE, 200, 400)) / 4;
        System.out.printf("[signal] spectral slope: pink %.2f dB/octave, white %.2f dB/octave%n", pinkSlope, whiteSlope);

        assertThat(pinkSlope).as("pink noise, dB per octave").isCloseTo(-3.0, within(0.5));
        assertThat(whiteSlope).as("white noise, dB per octave").isCloseTo(0.0, within(0.5));
        double limit = Math.pow(10, -6 / 20.0);
        for (double v : pink) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(limit + 1e-9);
        }
    }

    @Test
    void aSweepStartsAtItsStartFrequencyEndsAtItsEndAndStartsAgain() throws Exception {
        SignalSettings sweep = new SignalSettings("sweep", 1_000, 10_000, 2, -6, 500, 1, 0);
        double[] x = Sources.normalized(Sources.generate(sweep, S16_MONO, RATE * 2 + 960, 240), S16_MONO);
        int window = RATE / 100; // 10 ms

        // the mean frequency over a window of an exponential sweep, f0 (r^(b/T) - r^(a/T)) / (ln r (b - a)/T)
        assertThat(Sources.zeroCrossingHz(x, 0, window, RATE)).as("first 10 ms").isCloseTo(1_006, within(15.0));
        assertThat(Sources.zeroCrossingHz(x, 2 * RATE - window, 2 * RATE, RATE)).as("last 10 ms").isCloseTo(9_942, within(60.0));
        assertThat(Sources.zeroCrossingHz(x, 2 * RATE, 2 * RATE + window, RATE)).as("10 ms after the restart").isCloseTo(1_006, within(15.0));
    }

    @Test
    void clicksStartEveryIntervalExactlyAndTheRestIsSilence() throws Exception {
        checkClicks(48_000, 10, List.of(0L, 480L, 960L, 1440L, 1920L), 48);
        // 3 ms at 44.1 kHz is 132.3 frames: starts are rounded down, never accumulated
        checkClicks(44_100, 3, List.of(0L, 132L, 264L, 396L, 529L, 661L, 793L, 926L, 1058L, 1190L, 1323L), 44);
    }

    private static void checkClicks(int rate, int intervalMillis, List<Long> starts, int clickFrames) throws Exception {
        PcmFormat format = PcmFormat.wire(rate, 16, 1);
        SignalSettings clicks = new SignalSettings("clicks", 440, 20_000, 10, -6, intervalMillis, 1, 0);
        int frames = (int) (starts.getLast() + clickFrames);
        long[] x = Sources.channel(Sources.generate(clicks, format, frames, 100), format, 0);
        assertThat(new Generator(clicks, rate).clickFrames()).isEqualTo(clickFrames);

        List<Long> loudStarts = new ArrayList<>();
        long level = peak(16, -6);
        for (int n = 0; n < x.length; n++) {
            int at = n;
            boolean inClick = starts.stream().anyMatch(s -> at >= s && at < s + clickFrames);
            if (!inClick) {
                assertThat(x[n]).as("sample %d, between clicks", n).isZero();
            }
        }
        for (long start : starts) {
            long max = 0;
            for (int k = 0; k < clickFrames; k++) {
                max = Math.max(max, Math.abs(x[(int) start + k]));
            }
            assertThat(max).as("peak of the click at %d", start).isBetween(level * 97 / 100, level);
            if (Math.abs(x[(int) start + clickFrames / 2]) > level / 2) {
                loudStarts.add(start);
            }
        }
        assertThat(loudStarts).as("clicks loud in their middle").isEqualTo(starts);
    }
}
