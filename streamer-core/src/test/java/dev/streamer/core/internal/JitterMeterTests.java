package dev.streamer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Send jitter: |Δt - chunk| of consecutive on-schedule writes, smoothed with gain 1/16 (RFC 3550). */
class JitterMeterTests {
    private static final long MS = 1_000_000;
    private static final long CHUNK = 10 * MS;

    @Test
    void exactValuesForAScriptedSequenceOfWriteTimes() {
        JitterMeter meter = new JitterMeter(CHUNK);
        // writes at 0, 10, 22, 30, 46 ms: deviations 0, 2, 2, 6 ms
        long[] starts = {0, 10, 22, 30, 46};
        double[] expected = new double[starts.length];
        double j = 0;
        long[] deviations = {0, 2, 2, 6};
        for (int i = 0; i < deviations.length; i++) {
            j += (deviations[i] - j) / 16.0;
            expected[i + 1] = j;
        }
        assertThat(meter.jitterMillis()).isZero();
        for (int i = 0; i < starts.length; i++) {
            meter.onWrite(starts[i] * MS, true);
            assertThat(meter.jitterMillis()).as("after write %d", i).isCloseTo(expected[i], within(1e-12));
        }
        // by hand: 0; 0.125; 0.125 + (2 - 0.125)/16 = 0.2421875; + (6 - 0.2421875)/16 = 0.60205078125
        assertThat(meter.jitterMillis()).isCloseTo(0.60205078125, within(1e-12));
        assertThat(meter.samples()).isEqualTo(4);
    }

    @Test
    void writesThatCatchUpABacklogAreNotMeasuredNorIsTheIntervalAfterThem() {
        JitterMeter meter = new JitterMeter(CHUNK);
        meter.onWrite(0, true);
        meter.onWrite(10 * MS, true);        // deviation 0
        meter.onWrite(300 * MS, true);       // after a 280 ms stall: deviation 280 -> 17.5
        assertThat(meter.jitterMillis()).isCloseTo(17.5, within(1e-9));
        meter.onWrite(300 * MS + 10_000, false); // catching up: no sample
        meter.onWrite(300 * MS + 20_000, false);
        meter.onWrite(305 * MS, true);       // first on schedule again: no interval yet
        assertThat(meter.jitterMillis()).isCloseTo(17.5, within(1e-9));
        meter.onWrite(315 * MS, true);       // deviation 0 -> 17.5 * 15/16
        assertThat(meter.jitterMillis()).isCloseTo(17.5 * 15 / 16, within(1e-9));
        assertThat(meter.samples()).isEqualTo(3);
    }

    @Test
    void anInterruptionForgetsThePreviousWrite() {
        JitterMeter meter = new JitterMeter(CHUNK);
        meter.onWrite(0, true);
        meter.interrupt(); // e.g. paused for silence
        meter.onWrite(5_000 * MS, true);
        assertThat(meter.samples()).isZero();
        assertThat(meter.jitterMillis()).isZero();
    }
}
