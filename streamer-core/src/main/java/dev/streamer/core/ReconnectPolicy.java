package dev.streamer.core;

import java.time.Duration;

/**
 * How the sender retries a receiver: exponential backoff with random jitter.
 *
 * @param initialDelay the wait after the first failure (default 2 s)
 * @param maxDelay the longest wait (default 60 s)
 * @param jitter uniform random offset added to each wait, plus or minus (default 500 ms)
 * @param healthyAfter how long a connection must last before the delay resets (default 10 s)
 */
public record ReconnectPolicy(Duration initialDelay, Duration maxDelay, Duration jitter, Duration healthyAfter) {

    public static final ReconnectPolicy DEFAULT =
            new ReconnectPolicy(Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofMillis(500), Duration.ofSeconds(10));

    public ReconnectPolicy {
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("initial reconnect delay must be positive, got " + initialDelay.toMillis() + " ms");
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maximum reconnect delay " + maxDelay.toMillis()
                    + " ms is below the initial delay " + initialDelay.toMillis() + " ms");
        }
        if (jitter.isNegative() || jitter.compareTo(initialDelay) > 0) {
            throw new IllegalArgumentException("reconnect jitter must be 0.." + initialDelay.toMillis() + " ms, got " + jitter.toMillis() + " ms");
        }
        if (healthyAfter.isNegative()) {
            throw new IllegalArgumentException("healthy-connection time must not be negative");
        }
    }
}
