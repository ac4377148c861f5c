package dev.streamer.source.signal;

/**
 * Produces the waveform one sample at a time, as a number from -1 to 1 already scaled to the
 * level; every channel gets the same sample. Allocation-free and deterministic: the same
 * settings and rate give the same samples on every machine, because the math is
 * {@link StrictMath} (see {@link #sinCycles}) and the noise comes from a fixed, seeded algorithm.
 *
 * <ul>
 *   <li><b>sine</b>: {@code sin(2π·phase)}, the phase in cycles starting at 0, advancing by
 *       {@code f/rate} per sample and kept in [0, 1) by subtracting 1: it carries over from one read to the next, so period boundaries
 *       are inaudible. The first sample is {@code sin 0 = 0}.
 *   <li><b>sweep</b>: the same oscillator with a frequency that rises (or falls) exponentially,
 *       {@code f(t) = start·(end/start)^(t/T)}, equal time per octave; after {@code T} it starts
 *       again, phase-continuous.
 *   <li><b>white</b>: uniform in [-1, 1) from SplitMix64 (Steele, Lea, Flood 2014), seeded with
 *       {@code seed}.
 *   <li><b>pink</b>: that white noise through Paul Kellet's "refined" filter (seven one-pole
 *       sections, ±0.05 dB of -3 dB/octave from 9 Hz to the top at 44.1 kHz; the corner
 *       frequencies scale with the rate), times {@link #PINK_GAIN}, and clipped to the level in the
 *       rare samples that would exceed it.
 *   <li><b>silence</b>: zeros.
 *   <li><b>clicks</b>: click {@code i} starts at frame {@code floor(i·interval·rate/1000)}, exactly,
 *       without drift. A click is a 1 ms tone burst: two cycles of a cosine (about 2 kHz) under a
 *       raised-cosine (Hann) envelope, peaking at the level in its middle; silence between. Unlike
 *       a one-sample impulse, it sounds the same at every rate and survives codecs and resamplers.
 * </ul>
 */
final class Generator {
    /**
     * Scales Kellet's filter output (RMS 1.76, peaks about ±8 for full-scale white noise) so peaks
     * stay within ±1: RMS 0.21, 13.5 dB below the level; clipping is rarer than once a minute.
     */
    static final double PINK_GAIN = 0.12;
    /** Cosine cycles in one click. */
    static final double CLICK_CYCLES = 2;
    private static final double TWO_PI = 2 * Math.PI;

    private final Waveform waveform;
    private final double amplitude;
    private final int rate;
    private final double startHz;
    private final double sweepLog; // ln(end / start)
    private final long sweepFrames;
    private final long clickPeriod; // interval in frames, times 1000: click i starts at i * clickPeriod / 1000
    private final int clickFrames;

    private long frame;   // index of the next sample
    private double phase; // of the oscillator, in cycles, [0, 1)
    private long random;  // SplitMix64 state
    private double b0, b1, b2, b3, b4, b5, b6; // pink filter state

    /**
     * @param settings what to generate
     * @param rate the sample rate; {@code frequencyHz} must be at most half of it, {@code sweepToHz}
     *     is capped there
     */
    Generator(SignalSettings settings, int rate) {
        this.waveform = settings.kind();
        this.amplitude = settings.amplitude();
        this.rate = rate;
        this.startHz = settings.frequencyHz();
        double endHz = Math.min(settings.sweepToHz(), rate / 2.0);
        this.sweepLog = StrictMath.log(endHz / startHz);
        this.sweepFrames = Math.max(1, Math.round(settings.sweepSeconds() * rate));
        this.clickPeriod = (long) settings.clickIntervalMillis() * rate;
        this.clickFrames = Math.max(4, rate / 1000);
        this.random = settings.seed();
    }

    /** Return the next sample, -1 to 1, at the configured level. */
    double next() {
        double x = switch (waveform) {
            case SINE -> oscillator(startHz);
            case SWEEP -> oscillator(startHz * StrictMath.exp(sweepLog * (frame % sweepFrames) / sweepFrames));
            case WHITE -> white();
            case PINK -> pink();
            case SILENCE -> 0;
            case CLICKS -> click();
        };
        frame++;
        return amplitude * x;
    }

    /** Return the sine at the current phase, then advance the phase by one sample at {@code hz}. */
    private double oscillator(double hz) {
        double x = sinCycles(phase);
        phase += hz / rate;
        if (phase >= 1) {
            phase -= 1;
        }
        return x;
    }

    /**
     * Return {@code sin(2π·cycles)}, reduced exactly to a quarter cycle and a rest within ±π/4
     * first. {@link StrictMath} gives the same bits on every JVM, and on that small range it
     * allocates nothing (for larger arguments its exact range reduction allocates a small array).
     */
    static double sinCycles(double cycles) {
        double r = cycles - Math.floor(cycles);   // [0, 1)
        double quarters = Math.floor(r * 4 + 0.5); // nearest quarter, 0..4
        double x = TWO_PI * (r - quarters / 4);    // exact difference, within ±π/4
        return switch ((int) quarters & 3) {
            case 0 -> StrictMath.sin(x);
            case 1 -> StrictMath.cos(x);
            case 2 -> 0.0 - StrictMath.sin(x); // not -sin(x): half a cycle is +0.0, not -0.0, also in float output
            default -> -StrictMath.cos(x);
        };
    }

    /** Uniform in [-1, 1): the top 53 bits of a SplitMix64 output. */
    private double white() {
        long z = random += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-52 - 1;
    }

    /** Paul Kellet's refined pink-noise filter (musicdsp.org, "Filter to make pink noise from white"). */
    private double pink() {
        double w = white();
        b0 = 0.99886 * b0 + w * 0.0555179;
        b1 = 0.99332 * b1 + w * 0.0750759;
        b2 = 0.96900 * b2 + w * 0.1538520;
        b3 = 0.86650 * b3 + w * 0.3104856;
        b4 = 0.55000 * b4 + w * 0.5329522;
        b5 = -0.7616 * b5 - w * 0.0168980;
        double pink = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
        b6 = w * 0.115926;
        return Math.clamp(pink * PINK_GAIN, -1.0, 1.0);
    }

    /** Inside a click, the burst's sample; between clicks, 0. */
    private double click() {
        long index = ((frame + 1) * 1000 - 1) / clickPeriod; // the last click that started at or before this frame
        long offset = frame - index * clickPeriod / 1000;
        if (offset >= clickFrames) {
            return 0;
        }
        double t = (offset + 0.5) / clickFrames; // 0..1 across the click
        double envelope = sinCycles(t / 2);      // sin(πt): its square is the raised cosine (1 - cos 2πt) / 2
        return envelope * envelope * sinCycles(CLICK_CYCLES * (t - 0.5) + 0.25); // cos, peaking in the middle
    }

    /** Return the frames in one click at this rate (1 ms, at least 4). */
    int clickFrames() {
        return clickFrames;
    }
}
