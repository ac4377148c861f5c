package dev.streamer.core;

import java.util.Locale;

/**
 * The priority asked for the capture and sender threads. What the operating system really applies
 * is read back and logged: Linux HotSpot ignores Java priorities unless the JVM runs as root with
 * {@code -XX:ThreadPriorityPolicy=1}; {@code chrt} or {@code nice} on the whole process do work.
 */
public enum ThreadPriority {
    /** Java's normal priority (5). */
    NORMAL,
    /** Java's maximum priority (10), where the OS honours it. */
    HIGH;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
