package dev.streamer.it;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Wait for a condition with a deadline: the tests never sleep to assert. */
final class Poll {
    private static final long STEP_MILLIS = 50;

    private Poll() {
    }

    /** Return once {@code condition} holds; fail with {@code what} and {@code diagnostics} at the deadline. */
    static void until(Duration timeout, String what, BooleanSupplier condition, Supplier<String> diagnostics) {
        if (!within(timeout, condition)) {
            fail("timed out after " + timeout.toMillis() + " ms waiting for " + what + "\n" + diagnostics.get());
        }
    }

    /** Return whether {@code condition} held before the deadline. */
    static boolean within(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            pause(STEP_MILLIS);
        }
    }

    /** The step between two looks at a condition; not an assertion. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
