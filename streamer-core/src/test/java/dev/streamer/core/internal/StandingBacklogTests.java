package dev.streamer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A backlog is dropped only when its minimum over a whole window stays above the target. */
class StandingBacklogTests {
    private static final long MS = 1_000_000;
    private static final int TARGET = 60;

    @Test
    void aShortBurstThatDrainsWithinTheWindowIsNeverDropped() {
        StandingBacklog backlog = new StandingBacklog(2000 * MS, TARGET);
        long t = 0;
        for (; t < 1000; t += 10) {
            assertThat(backlog.observe(t * MS, 20)).isFalse();
        }
        // a 500 ms stall leaves 500 units, sent faster than real time within a second
        for (int left = 500; left > 20; left -= 10, t += 2) {
            assertThat(backlog.observe(t * MS, left)).as("at %d ms", t).isFalse();
        }
        for (; t < 6000; t += 10) {
            assertThat(backlog.observe(t * MS, 20)).as("at %d ms", t).isFalse();
        }
    }

    @Test
    void aBacklogThatStandsAboveTheTargetForAWholeWindowIsDropped() {
        StandingBacklog backlog = new StandingBacklog(2000 * MS, TARGET);
        long t = 0;
        for (; t < 1000; t += 10) {
            assertThat(backlog.observe(t * MS, 20)).isFalse();
        }
        // the receiver takes audio in real time: after the stall the backlog stays at 400
        boolean dropped = false;
        long droppedAt = -1;
        for (; t < 6000 && !dropped; t += 10) {
            dropped = backlog.observe(t * MS, 400);
            droppedAt = t;
        }
        assertThat(dropped).isTrue();
        // the first window still saw the low values before the stall; the second one is all high
        assertThat(droppedAt).isEqualTo(4000);
    }

    @Test
    void aBacklogJustAtTheTargetIsKept() {
        StandingBacklog backlog = new StandingBacklog(2000 * MS, TARGET);
        for (long t = 0; t < 10_000; t += 10) {
            assertThat(backlog.observe(t * MS, TARGET)).isFalse();
        }
    }

    @Test
    void resetStartsANewWindow() {
        StandingBacklog backlog = new StandingBacklog(2000 * MS, TARGET);
        backlog.observe(0, 10);
        backlog.reset();
        assertThat(backlog.observe(1000 * MS, 500)).isFalse();
        assertThat(backlog.observe(2999 * MS, 500)).isFalse();
        assertThat(backlog.observe(3000 * MS, 500)).isTrue();
    }
}
