package dev.streamer.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamer.core.QualityTracker.Transition;
import org.junit.jupiter.api.Test;

/** Recent losses and failures over a minute; degradation below 50 and recovery at 70, without flapping. */
class QualityTrackerTests {
    private static final long S = 1_000_000_000L;

    @Test
    void lossesAndFailuresCountOverTheLastMinuteOnly() {
        QualityTracker tracker = new QualityTracker(60 * S);
        tracker.sample(0, 0, 0, 0);
        tracker.sample(5 * S, 100, 1, 9); // 100 ms lost, one failure, 9 retransmissions
        QualityTracker.Rating now = tracker.rate(5 * S, 1.0, 0.1);
        assertThat(now.lostMillis()).isEqualTo(100);
        assertThat(now.failures()).isEqualTo(1);
        assertThat(now.retransmits()).isEqualTo(9);
        // base 98 - loss 10 log10(101) = 20.04 - retransmits 5 log10(10) = 5 - errors 15 = 57.96, rounded down
        assertThat(now.score()).isEqualTo(57);
        assertThat(now.label()).isEqualTo("Fair");
        for (long t = 10; t <= 65; t += 5) {
            tracker.sample(t * S, 100, 1, 9);
        }
        QualityTracker.Rating later = tracker.rate(65 * S, 1.0, 0.1);
        assertThat(later.lostMillis()).as("the loss at 5 s is more than a minute old").isZero();
        assertThat(later.failures()).isZero();
        assertThat(later.retransmits()).isZero();
        assertThat(later.score()).isEqualTo(98);
    }

    @Test
    void degradationBelow50AndRecoveryAt70AreReportedOnceEach() {
        QualityTracker tracker = new QualityTracker(60 * S);
        tracker.sample(0, 0, 0, 0);
        assertThat(tracker.rate(0, 10, 0).transition()).isEqualTo(Transition.NONE);      // 80
        assertThat(tracker.rate(5 * S, 52, 0).transition()).isEqualTo(Transition.DEGRADED); // 49
        assertThat(tracker.degraded()).isTrue();
        assertThat(tracker.rate(10 * S, 30, 0).transition()).as("61: not yet recovered").isEqualTo(Transition.NONE);
        assertThat(tracker.rate(15 * S, 52, 0).transition()).as("49 again: already degraded").isEqualTo(Transition.NONE);
        assertThat(tracker.rate(20 * S, 15, 0).transition()).isEqualTo(Transition.RECOVERED); // 70
        assertThat(tracker.rate(25 * S, 15, 0).transition()).isEqualTo(Transition.NONE);
    }
}
