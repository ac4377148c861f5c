package dev.streamer.core;

import java.util.random.RandomGenerator;

/**
 * When to try the next connection, so that a receiver that restarts under a hundred senders is not
 * hit by all of them at once, and one that accepts and drops at once is not hammered.
 *
 * <p>The first attempt is immediate. After a failure the wait is the current delay plus uniform
 * random jitter, never below zero; the delay then doubles up to the maximum. The delay returns to
 * the initial value only after a connection has stayed up for {@code healthyAfter}: a connect that
 * succeeds and drops at once keeps the backoff growing. Not thread-safe: the sender thread owns it.
 */
final class ReconnectBackoff {
    private final ReconnectPolicy policy;
    private final RandomGenerator random;
    private long delayNanos;
    private long connectedAtNanos = Long.MIN_VALUE;

    ReconnectBackoff(ReconnectPolicy policy, RandomGenerator random) {
        this.policy = policy;
        this.random = random;
        this.delayNanos = policy.initialDelay().toNanos();
    }

    /** Record that a connection was established at {@code nowNanos}. */
    void connected(long nowNanos) {
        connectedAtNanos = nowNanos;
    }

    /**
     * Record a failed attempt or a lost connection at {@code nowNanos} and return how long to wait
     * before the next attempt.
     */
    long failed(long nowNanos) {
        if (connectedAtNanos != Long.MIN_VALUE && nowNanos - connectedAtNanos >= policy.healthyAfter().toNanos()) {
            delayNanos = policy.initialDelay().toNanos();
        }
        connectedAtNanos = Long.MIN_VALUE;
        long jitter = policy.jitter().toNanos();
        long offset = jitter == 0 ? 0 : random.nextLong(-jitter, jitter + 1);
        long wait = Math.max(0, delayNanos + offset);
        delayNanos = Math.min(policy.maxDelay().toNanos(), delayNanos * 2);
        return wait;
    }
}
