package dev.streamer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamer.core.AdaptivePolicy;
import dev.streamer.core.NetworkPreset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The controller with an injected clock: quick growth on trouble, slow shrink when stable, always in range. */
class AdaptiveControllerTests {
    private static final long S = 1_000_000_000L;
    private static final AdaptivePolicy ETHERNET = AdaptivePolicy.of(NetworkPreset.ETHERNET); // 2000..6000, band 5 ms, 30 s, 3 s

    private static AdaptiveController controller(AdaptivePolicy policy, int initialMillis, long nowNanos) {
        return new AdaptiveController(policy.minMillis(), policy.maxMillis(), policy.jitterBandMillis(),
                policy.stableAfter().toNanos(), policy.growInterval().toNanos(), initialMillis, nowNanos);
    }

    /** Ticks once a second from {@code from} to {@code to} seconds with no trouble; returns the changes. */
    private static List<AdaptiveController.Change> calm(AdaptiveController c, long from, long to) {
        List<AdaptiveController.Change> changes = new ArrayList<>();
        for (long t = from; t <= to; t++) {
            AdaptiveController.Change change = c.tick(t * S, 0, 0, 1.0, 10);
            if (change != null) {
                changes.add(change);
            }
        }
        return changes;
    }

    @Test
    void growsAtOnceOnAStallWithTheReason() {
        AdaptiveController c = controller(ETHERNET, 2000, 0);
        AdaptiveController.Change change = c.tick(S, 450, 0, 1.0, 800);
        assertThat(change).isEqualTo(new AdaptiveController.Change(2000, 3000, "a write stalled for 450 ms"));
        assertThat(change.grew()).isTrue();
        assertThat(c.capacityMillis()).isEqualTo(3000);
        assertThat(c.changes()).isEqualTo(1);
        assertThat(c.lastReason()).isEqualTo("a write stalled for 450 ms");
    }

    @Test
    void eachKindOfTroubleGrowsItWithItsOwnReason() {
        assertThat(controller(ETHERNET, 2000, 0).tick(S, 0, 120, 1, 0).reason())
                .isEqualTo("120 ms of audio dropped");
        assertThat(controller(ETHERNET, 2000, 0).tick(S, 0, 0, 7.25, 0).reason())
                .isEqualTo("network jitter 7.3 ms above the 5 ms band");
        assertThat(controller(ETHERNET, 2000, 0).tick(S, 0, 0, 5.0, 0)).as("at the band: no trouble").isNull();
    }

    @Test
    void growsByHalfAtMostEveryGrowIntervalAndClampsToTheMaximum() {
        AdaptiveController c = controller(ETHERNET, 2000, 0);
        assertThat(c.tick(1 * S, 300, 0, 1, 0).toMillis()).isEqualTo(3000);
        assertThat(c.tick(2 * S, 300, 0, 1, 0)).as("within 3 s of the last growth").isNull();
        assertThat(c.tick(3 * S, 300, 0, 1, 0)).isNull();
        assertThat(c.tick(4 * S, 300, 0, 1, 0).toMillis()).isEqualTo(4500);
        assertThat(c.tick(7 * S, 300, 0, 1, 0).toMillis()).as("6750 clamped").isEqualTo(6000);
        assertThat(c.tick(10 * S, 300, 0, 1, 0)).as("at the maximum").isNull();
        assertThat(c.capacityMillis()).isEqualTo(6000);
        assertThat(c.changes()).isEqualTo(3);
    }

    @Test
    void shrinksByATenthAfterEachStablePeriodDownToTheMinimum() {
        AdaptiveController c = controller(ETHERNET, 2000, 0);
        c.tick(1 * S, 300, 0, 1, 0);   // 3000
        c.tick(4 * S, 300, 0, 1, 0);   // 4500
        c.tick(7 * S, 300, 0, 1, 0);   // 6000, last trouble at 7 s
        List<AdaptiveController.Change> changes = calm(c, 8, 36);
        assertThat(changes).as("not before 30 s of calm").isEmpty();
        changes = calm(c, 37, 37);
        assertThat(changes).containsExactly(new AdaptiveController.Change(6000, 5400, "stable for 30 s"));
        // each further step waits another 30 s
        assertThat(calm(c, 38, 66)).isEmpty();
        assertThat(calm(c, 67, 67)).extracting(AdaptiveController.Change::toMillis).containsExactly(4860);
        List<Integer> steps = calm(c, 68, 1000).stream().map(AdaptiveController.Change::toMillis).toList();
        assertThat(steps).containsExactly(4374, 3937, 3544, 3190, 2871, 2584, 2326, 2094, 2000);
        assertThat(c.capacityMillis()).isEqualTo(2000);
        assertThat(calm(c, 1001, 2000)).as("never below the minimum").isEmpty();
    }

    @Test
    void troubleDuringTheStablePeriodRestartsIt() {
        AdaptiveController c = controller(ETHERNET, 4000, 0);
        assertThat(calm(c, 1, 29)).isEmpty();
        assertThat(c.tick(29 * S + S / 2, 0, 0, 9.0, 0).toMillis()).isEqualTo(6000); // jitter: grows
        assertThat(calm(c, 30, 59)).isEmpty();
        assertThat(calm(c, 60, 60)).extracting(AdaptiveController.Change::toMillis).containsExactly(5400);
    }

    @Test
    void holdRestartsTheStablePeriodWhileNotStreaming() {
        AdaptiveController c = controller(ETHERNET, 3000, 0);
        c.hold(25 * S); // disconnected until 25 s
        assertThat(calm(c, 26, 54)).isEmpty();
        assertThat(calm(c, 55, 55)).extracting(AdaptiveController.Change::toMillis).containsExactly(2700);
    }

    @Test
    void neverShrinksBelowTwiceTheAudioHeld() {
        AdaptiveController c = controller(ETHERNET, 6000, 0);
        assertThat(c.tick(31 * S, 0, 0, 1, 2900)).extracting(AdaptiveController.Change::toMillis).isEqualTo(5800);
        assertThat(c.tick(62 * S, 0, 0, 1, 3000)).as("already at twice the fill").isNull();
    }

    @Test
    void aFixedRangeNeverMoves() {
        AdaptiveController c = controller(AdaptivePolicy.fixed(2000), 2000, 0);
        assertThat(c.tick(S, 5000, 1000, 100, 0)).isNull();
        assertThat(calm(c, 2, 500)).isEmpty();
        assertThat(c.capacityMillis()).isEqualTo(2000);
    }

    @Test
    void theStablePeriodIsASetting() {
        AdaptiveController c = controller(ETHERNET.withStableAfter(Duration.ofSeconds(3)), 6000, 0);
        assertThat(calm(c, 1, 2)).isEmpty();
        assertThat(calm(c, 3, 8)).extracting(AdaptiveController.Change::toMillis).containsExactly(5400, 4860);
    }

    @Test
    void refusesAStartOutsideTheRange() {
        assertThatThrownBy(() -> controller(ETHERNET, 1000, 0)).hasMessageContaining("outside 2000..6000");
    }
}
