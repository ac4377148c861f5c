package dev.streamer.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads back what scheduling the operating system gives the calling thread, so that the log says
 * what was applied rather than what was asked for. On Linux this is {@code /proc/thread-self/stat}:
 * the nice value and the scheduling policy with its real-time priority. Called once per thread at
 * its start, never on the audio path.
 */
public final class ThreadPriorities {
    private ThreadPriorities() {
    }

    /** What the OS applies to the calling thread, e.g. {@code nice 0, SCHED_OTHER}; null if it does not say. */
    public static String describeCurrentThread() {
        return describe(Path.of("/proc/thread-self/stat"));
    }

    static String describe(Path stat) {
        String text;
        try {
            text = Files.readString(stat);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return parse(text);
    }

    /** Parse a {@code /proc/.../stat} line; null if it does not have the expected fields. */
    static String parse(String text) {
        int close = text.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = text.substring(close + 1).trim().split("\\s+");
        // after the command: field 3 (state) is f[0]; nice is field 19, rt_priority 40, policy 41
        if (f.length < 39) {
            return null;
        }
        try {
            int nice = Integer.parseInt(f[16]);
            int rtPriority = Integer.parseInt(f[37]);
            int policy = Integer.parseInt(f[38]);
            String name = switch (policy) {
                case 0 -> "SCHED_OTHER";
                case 1 -> "SCHED_FIFO";
                case 2 -> "SCHED_RR";
                case 3 -> "SCHED_BATCH";
                case 5 -> "SCHED_IDLE";
                case 6 -> "SCHED_DEADLINE";
                default -> "policy " + policy;
            };
            return "nice " + nice + ", " + name + (policy == 1 || policy == 2 ? " " + rtPriority : "");
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Return whether a description means the default time-sharing scheduling at nice 0. */
    public static boolean isDefault(String description) {
        return "nice 0, SCHED_OTHER".equals(description);
    }
}
