package dev.streamer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArrivalClockTests {
    @Test
    void eachByteArrivedWithTheSpanThatHoldsIt() {
        ArrivalClock clock = new ArrivalClock();
        assertThat(clock.arrivalOf(0)).isEqualTo(ArrivalClock.UNKNOWN);
        clock.mark(960, 100); // bytes 0..959
        clock.mark(1920, 200); // 960..1919
        clock.mark(2880, 300);
        assertThat(clock.arrivalOf(0)).isEqualTo(100);
        assertThat(clock.arrivalOf(959)).isEqualTo(100);
        assertThat(clock.arrivalOf(960)).isEqualTo(200);
        assertThat(clock.arrivalOf(2048)).isEqualTo(300);
        assertThat(clock.arrivalOf(2880)).isEqualTo(ArrivalClock.UNKNOWN); // not captured yet
        clock.mark(3840, 400);
        assertThat(clock.arrivalOf(2880)).isEqualTo(400);
    }

    @Test
    void marksOverwrittenBeforeTheLookUpAreUnknownNotWrong() {
        ArrivalClock clock = new ArrivalClock();
        for (int i = 1; i <= 3 * ArrivalClock.SIZE; i++) {
            clock.mark(i * 100L, i);
        }
        assertThat(clock.arrivalOf(0)).isEqualTo(ArrivalClock.UNKNOWN);
        long youngest = 3L * ArrivalClock.SIZE;
        assertThat(clock.arrivalOf(youngest * 100 - 1)).isEqualTo(youngest);
    }
}
