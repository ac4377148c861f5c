package dev.streamer.source.signal;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the generator plays; the settings name each by its lower-case label. */
enum Waveform {
    /** A pure tone at {@code frequencyHz}. */
    SINE,
    /** A logarithmic sweep from {@code frequencyHz} to {@code sweepToHz} in {@code sweepSeconds}, repeated. */
    SWEEP,
    /** Uniform white noise: equal power per hertz. */
    WHITE,
    /** Pink noise: equal power per octave, -3 dB per octave, from white noise through Paul Kellet's filter. */
    PINK,
    /** Digital silence. */
    SILENCE,
    /** A 1 ms click every {@code clickIntervalMillis}, silence between. */
    CLICKS;

    /** Return the name used in settings, e.g. {@code sine}. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Return the labels of all waveforms, comma-separated, for messages. */
    static String labels() {
        return Arrays.stream(values()).map(Waveform::label).collect(Collectors.joining(", "));
    }

    /**
     * Return the waveform with this label.
     *
     * @throws IllegalArgumentException naming the valid labels
     */
    static Waveform of(String label) {
        for (Waveform waveform : values()) {
            if (waveform.label().equals(label)) {
                return waveform;
            }
        }
        throw new IllegalArgumentException("waveform " + (label == null ? "is required" : "\"" + label + "\" is not known")
                + "; valid: " + labels());
    }
}
