package dev.streamer.source.signal;

/**
 * Settings of the {@code signal} source, bound from the profile's {@code source} section or
 * {@code --set source.NAME=VALUE}. Levels are peak levels: {@code 0} dBFS is the largest sample
 * value of the format.
 *
 * @param waveform {@code sine}, {@code sweep}, {@code white}, {@code pink}, {@code silence} or
 *     {@code clicks}
 * @param frequencyHz the sine's frequency, or where a sweep starts: 1 to half the sample rate
 * @param sweepToHz where a sweep ends (capped at half the sample rate); it may be below the start
 * @param sweepSeconds how long one sweep takes before it starts again, 0.1 to 3600
 * @param levelDbfs the peak level, -120 to 0 dBFS
 * @param clickIntervalMillis the time from one click to the next, 2 to 60000 ms
 * @param seed the noise generator's seed: the same seed gives the same noise, sample for sample
 * @param durationSeconds {@code 0} plays forever; otherwise the source ends after this much audio
 */
public record SignalSettings(String waveform, double frequencyHz, double sweepToHz, double sweepSeconds,
                             double levelDbfs, int clickIntervalMillis, long seed, double durationSeconds) {

    /** Highest frequency any rate allows: half of PcmFormat's highest rate. */
    static final double MAX_HZ = 384_000;

    /** A 440 Hz sine at -12 dBFS, forever. */
    public static final SignalSettings DEFAULTS = new SignalSettings("sine", 440, 20_000, 10, -12, 500, 1, 0);

    /** Checks every setting; the messages name it, the value found and what is valid. */
    public SignalSettings {
        Waveform.of(waveform); // throws with the list of waveforms
        requireRange("frequencyHz", frequencyHz, 1, MAX_HZ, "the tone frequency, or where a sweep starts; at most half the sample rate");
        requireRange("sweepToHz", sweepToHz, 1, MAX_HZ, "where a sweep ends; capped at half the sample rate");
        requireRange("sweepSeconds", sweepSeconds, 0.1, 3600, "the length of one sweep");
        requireRange("levelDbfs", levelDbfs, -120, 0, "the peak level in dB below full scale");
        requireRange("clickIntervalMillis", clickIntervalMillis, 2, 60_000, "the time from one 1 ms click to the next");
        if (!(durationSeconds >= 0) || Double.isInfinite(durationSeconds)) {
            throw new IllegalArgumentException("durationSeconds " + number(durationSeconds)
                    + " is not valid; 0 plays forever, a positive number of seconds ends the source after that much audio");
        }
    }

    /** Return the waveform as a type. */
    Waveform kind() {
        return Waveform.of(waveform);
    }

    /** Return the peak amplitude, 1.0 being full scale. */
    double amplitude() {
        return StrictMath.pow(10, levelDbfs / 20);
    }

    private static void requireRange(String name, double value, double min, double max, String meaning) {
        if (!(value >= min && value <= max)) { // also rejects NaN
            throw new IllegalArgumentException(name + " " + number(value) + " is outside " + number(min) + ".."
                    + number(max) + " (" + meaning + ")");
        }
    }

    /** Print 440.0 as 440 and 0.5 as 0.5. */
    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
