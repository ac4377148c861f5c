package dev.streamer.testkit;

import java.lang.reflect.Method;

/**
 * Bytes allocated by a thread, from {@code com.sun.management.ThreadMXBean}, read reflectively: the
 * modules under test do not read {@code jdk.management}, and reflection needs no readability. Every
 * JVM streamer supports counts them; one that cannot fails the test rather than passing it.
 */
public final class Allocation {
    private static final Object THREADS;
    private static final Method CURRENT;
    private static final Method OF_THREAD;

    static {
        try {
            THREADS = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> bean = Class.forName("com.sun.management.ThreadMXBean");
            CURRENT = bean.getMethod("getCurrentThreadAllocatedBytes");
            OF_THREAD = bean.getMethod("getThreadAllocatedBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("this JVM cannot count allocated bytes: " + e);
        }
    }

    private Allocation() {
    }

    /** Return the bytes the calling thread has allocated so far. */
    public static long currentThread() throws ReflectiveOperationException {
        return (long) CURRENT.invoke(THREADS);
    }

    /** Return the bytes {@code thread} has allocated so far. */
    public static long of(Thread thread) throws ReflectiveOperationException {
        return (long) OF_THREAD.invoke(THREADS, thread.threadId());
    }
}
