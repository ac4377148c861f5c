package dev.streamer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTests {
    private static final long SEED = Long.getLong("streamer.test.seed", 0x5EED_BAC0L);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long JITTER = 500 * MS;

    private static final ReconnectPolicy NO_JITTER =
            new ReconnectPolicy(Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ZERO, Duration.ofSeconds(10));

    @Test
    void theDefaultPolicyIsTheDocumentedOne() {
        assertThat(ReconnectPolicy.DEFAULT).isEqualTo(new ReconnectPolicy(
                Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofMillis(500), Duration.ofSeconds(10)));
    }

    @Test
    void waitsDoubleFromTwoSecondsUpToAMinuteWithinTheJitter() {
        System.out.println("ReconnectBackoffTests.waitsDouble seed=" + SEED);
        long[] nominal = {2, 4, 8, 16, 32, 60, 60, 60, 60, 60};
        for (long run = 0; run < 100; run++) {
            List<Long> waits = failures(new SplittableRandom(SEED + run), 10);
            for (int i = 0; i < nominal.length; i++) {
                assertThat(waits.get(i)).as("seed %d, failure %d", SEED + run, i + 1)
                        .isBetween(nominal[i] * SECOND - JITTER, nominal[i] * SECOND + JITTER);
            }
        }
    }

    @Test
    void withoutJitterTheWaitsAreExact() {
        ReconnectBackoff backoff = new ReconnectBackoff(NO_JITTER, new SplittableRandom(SEED));
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            waits.add(backoff.failed(i * SECOND) / SECOND);
        }
        assertThat(waits).containsExactly(2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
    }

    @Test
    void theSameSeedGivesTheSameWaits() {
        List<Long> first = failures(new SplittableRandom(SEED), 10);
        List<Long> second = failures(new SplittableRandom(SEED), 10);
        List<Long> other = failures(new SplittableRandom(SEED + 1), 10);

        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(first).as("the jitter moves the waits off the nominal values").doesNotContain(2 * SECOND, 4 * SECOND);
    }

    @Test
    void theJitterIsTheGeneratorsDrawInPlusMinusHalfASecond() {
        // the wait is the nominal delay plus one uniform draw in [-500 ms, +500 ms]
        RandomGenerator replay = new SplittableRandom(SEED);
        List<Long> waits = failures(new SplittableRandom(SEED), 3);

        assertThat(waits).containsExactly(
                2 * SECOND + replay.nextLong(-JITTER, JITTER + 1),
                4 * SECOND + replay.nextLong(-JITTER, JITTER + 1),
                8 * SECOND + replay.nextLong(-JITTER, JITTER + 1));
    }

    @Test
    void aConnectionShorterThanHealthyAfterKeepsTheDelayGrowing() {
        ReconnectBackoff backoff = new ReconnectBackoff(NO_JITTER, new SplittableRandom(SEED));
        long now = 0;
        assertThat(backoff.failed(now)).isEqualTo(2 * SECOND);
        now += 2 * SECOND;
        backoff.connected(now);
        now += 9_900 * MS;
        assertThat(backoff.failed(now)).isEqualTo(4 * SECOND);
        now += 4 * SECOND;
        backoff.connected(now);
        now += 10 * SECOND - 1;
        assertThat(backoff.failed(now)).isEqualTo(8 * SECOND);
    }

    @Test
    void aConnectionThatLastedHealthyAfterResetsTheDelay() {
        ReconnectBackoff backoff = new ReconnectBackoff(NO_JITTER, new SplittableRandom(SEED));
        long now = 0;
        for (int i = 0; i < 5; i++) {
            now += backoff.failed(now);
        }
        backoff.connected(now);
        now += 10 * SECOND;
        assertThat(backoff.failed(now)).isEqualTo(2 * SECOND);
        assertThat(backoff.failed(now)).as("and grows again from there").isEqualTo(4 * SECOND);
    }

    @Test
    void aFailureWithoutAConnectionInBetweenNeverResets() {
        ReconnectBackoff backoff = new ReconnectBackoff(NO_JITTER, new SplittableRandom(SEED));
        backoff.connected(0);
        assertThat(backoff.failed(100 * SECOND)).isEqualTo(2 * SECOND); // reset, then the first wait
        // the connection was consumed by that failure: a long pause alone does not reset again
        assertThat(backoff.failed(1_000 * SECOND)).isEqualTo(4 * SECOND);
    }

    @Test
    void theJitterIsSpreadUniformlyOverPlusMinusHalfASecond() {
        System.out.println("ReconnectBackoffTests.theJitterIsSpreadUniformly seed=" + SEED);
        ReconnectBackoff backoff = new ReconnectBackoff(ReconnectPolicy.DEFAULT, new SplittableRandom(SEED));
        for (int i = 0; i < 6; i++) {
            backoff.failed(0); // reach the 60 s ceiling
        }
        int draws = 10_000;
        int[] bins = new int[10];
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        double sum = 0;
        for (int i = 0; i < draws; i++) {
            long offset = backoff.failed(0) - 60 * SECOND;
            min = Math.min(min, offset);
            max = Math.max(max, offset);
            sum += offset;
            bins[(int) Math.min(9, (offset + JITTER) * 10 / (2 * JITTER + 1))]++;
        }
        assertThat(min).as("seed %d", SEED).isBetween(-JITTER, -JITTER + 5 * MS);
        assertThat(max).as("seed %d", SEED).isBetween(JITTER - 5 * MS, JITTER);
        assertThat(sum / draws).as("mean offset, seed %d", SEED).isCloseTo(0.0, within(15.0 * MS));
        for (int bin = 0; bin < 10; bin++) {
            assertThat(bins[bin]).as("bin %d of 10, seed %d", bin, SEED).isBetween(draws * 8 / 100, draws * 12 / 100);
        }
    }

    @Test
    void theWaitIsNeverNegative() {
        // jitter as large as the initial delay (the most the policy allows), and a reset before every failure
        ReconnectPolicy wide = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(100), Duration.ZERO);
        ReconnectBackoff backoff = new ReconnectBackoff(wide, new SplittableRandom(SEED));
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 20_000; i++) {
            backoff.connected(i);
            long wait = backoff.failed(i);
            min = Math.min(min, wait);
            max = Math.max(max, wait);
        }
        assertThat(min).as("seed %d", SEED).isBetween(0L, MS);
        assertThat(max).as("seed %d", SEED).isBetween(199 * MS, 200 * MS);
    }

    @Test
    void zeroJitterDrawsNothingFromTheGenerator() {
        RandomGenerator failing = new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new AssertionError("no jitter configured, so no draw expected");
            }
        };
        assertThat(new ReconnectBackoff(NO_JITTER, failing).failed(0)).isEqualTo(2 * SECOND);
    }

    private static List<Long> failures(RandomGenerator random, int count) {
        ReconnectBackoff backoff = new ReconnectBackoff(ReconnectPolicy.DEFAULT, random);
        List<Long> waits = new ArrayList<>();
        long now = 0;
        for (int i = 0; i < count; i++) {
            long wait = backoff.failed(now);
            waits.add(wait);
            now += wait;
        }
        return waits;
    }
}
