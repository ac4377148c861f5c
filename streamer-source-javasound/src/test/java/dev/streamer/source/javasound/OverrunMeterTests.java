package dev.streamer.source.javasound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The overrun arithmetic on synthetic snapshots: losses count, late audio, pauses and drift do not. */
class OverrunMeterTests {

    private static final int RATE = 48_000;
    private static final int PERIOD = 240;
    private static final int BUFFER = 960;
    private static final long MS = 1_000_000L;

    private final OverrunMeter meter = new OverrunMeter(RATE, PERIOD, BUFFER);

    /** Read in real time from {@code fromMillis} to {@code toMillis}, every read waiting; return delivered. */
    private long readSteadily(long delivered, long fromMillis, long toMillis, long lostFrames) {
        for (long t = fromMillis; t < toMillis; t += 5) {
            long produced = t * 48 - lostFrames;
            meter.update(delivered, produced - delivered, t * MS, true);
            delivered = produced;
        }
        return delivered;
    }

    @Test
    void toleranceIsTwoPeriodsOrTwentyFiveMilliseconds() {
        assertThat(meter.toleranceFrames()).isEqualTo(1200);
        assertThat(new OverrunMeter(RATE, 960, 3840).toleranceFrames()).isEqualTo(1920);
    }

    @Test
    void aLossAfterAFullBufferIsCountedOnceTheReaderHasKeptUpForASecond() {
        meter.start(0);
        long delivered = readSteadily(0, 0, 100, 0);
        // stalled 400 ms: the buffer is full and the device dropped 400 ms minus the 20 ms it holds
        long lost = 500 * 48 - delivered - BUFFER;
        meter.update(delivered, BUFFER, 500 * MS, false);
        delivered += BUFFER;
        long counted = 0;
        for (long t = 500; t < 1_600; t += 5) {
            long produced = t * 48 - lost;
            counted += meter.update(delivered, produced - delivered, t * MS, true);
            delivered = produced;
            if (t < 1_500) {
                assertThat(counted).as("not before the buffer was free for a second").isZero();
            }
        }

        assertThat(counted).isCloseTo(lost, within(240L));
        assertThat(meter.overrunFrames()).isEqualTo(counted);
    }

    @Test
    void aBacklogDeliveredLateIsNotALossEvenIfTheBurstPauses() {
        meter.start(0);
        long delivered = readSteadily(0, 0, 100, 0);
        // stalled 400 ms, then the server hands over 19 200 frames in two bursts with a gap
        long now = 500 * MS;
        long backlogEnd = 500 * 48;
        while (delivered < backlogEnd) {
            boolean gap = delivered > backlogEnd / 2 && delivered < backlogEnd / 2 + 2 * PERIOD;
            meter.update(delivered, gap ? 0 : BUFFER, now, gap); // mid-burst the line was empty once
            delivered += PERIOD;
            now += MS / 10;
        }
        readSteadily(delivered, now / MS + 1, now / MS + 2_000, 0);

        assertThat(meter.overrunFrames()).isZero();
    }

    @Test
    void aDeviceThatStopsDeliveringIsNotAnOverrun() {
        meter.start(0);
        long delivered = readSteadily(0, 0, 100, 0);
        for (long t = 100; t < 2_100; t += 5) { // 2 s without data, buffer never full
            meter.update(delivered, 0, t * MS, true);
        }
        readSteadily(delivered, 2_100, 4_000, 2_000 * 48);

        assertThat(meter.overrunFrames()).isZero();
    }

    @Test
    void jitterBelowTheToleranceIsIgnored() {
        meter.start(0);
        long delivered = 0;
        for (long t = 0; t < 10_000; t += 5) {
            long late = (t / 5) % 3 == 0 ? 1_100 : 0; // frames arriving late, then all at once
            long produced = t * 48 - late;
            if (t % 2_000 == 0) {
                meter.update(delivered, BUFFER, t * MS, false); // and a full buffer now and then
            }
            meter.update(delivered, produced - delivered, t * MS, true);
            delivered = produced;
        }
        assertThat(meter.overrunFrames()).isZero();
    }

    @Test
    void aDeviceClockOffBy200ppmForAnHourDoesNotAccumulate() {
        meter.start(0);
        long delivered = 0;
        for (long t = 0; t < 3_600_000; t += 5) {
            long produced = Math.round(t * 48 * (1 - 200e-6));
            if (t % 60_000 == 0) {
                meter.update(delivered, BUFFER, t * MS, false);
            }
            meter.update(delivered, produced - delivered, t * MS, true);
            delivered = produced;
        }
        assertThat(meter.overrunFrames()).isZero();
    }

    @Test
    void countsSurviveADayOfNanosecondsWithoutOverflow() {
        OverrunMeter fast = new OverrunMeter(768_000, 7_680, 30_720);
        long day = 24 * 3_600_000L * MS;
        long frames = 24 * 3_600L * 768_000;
        fast.start(0);
        fast.update(frames, 0, day, true);
        fast.update(frames, 30_720, day + 500 * MS, false);
        fast.update(frames + 30_720, 0, day + 1_600 * MS, true);

        assertThat(fast.overrunFrames()).isCloseTo(1_600 * 768 - 30_720, within(10L));
    }
}
