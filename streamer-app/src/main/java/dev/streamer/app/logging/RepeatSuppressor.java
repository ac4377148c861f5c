package dev.streamer.app.logging;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Rate-limits identical log lines: the first is written; the same line again within the window is
 * only counted; the next one after the window is written with that count, so a receiver that is
 * down for an hour costs one line a minute, not one per retry, and no occurrence goes unreported.
 */
final class RepeatSuppressor {
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Lines remembered at once; the oldest is reported and forgotten beyond it. */
    static final int CAPACITY = 64;

    private final LongSupplier nanoClock;
    private final Map<String, Window> recent = new LinkedHashMap<>();

    RepeatSuppressor(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    private static final class Window {
        long startNanos;
        int suppressed;

        Window(long startNanos) {
            this.startNanos = startNanos;
        }
    }

    /**
     * Decide about {@code line}: return {@code null} to drop it (counted), or the lines to write,
     * i.e. {@code line} itself, with the count of its suppressed copies if there were any, after
     * the summary of a line forgotten to make room.
     */
    synchronized List<String> admit(String line) {
        long now = nanoClock.getAsLong();
        Window window = recent.get(line);
        if (window != null && now - window.startNanos < WINDOW_NANOS) {
            window.suppressed++;
            return null;
        }
        List<String> out = new ArrayList<>(2);
        if (window == null) {
            if (recent.size() >= CAPACITY) {
                Iterator<Map.Entry<String, Window>> eldest = recent.entrySet().iterator();
                Map.Entry<String, Window> forgotten = eldest.next();
                eldest.remove();
                summary(forgotten.getKey(), forgotten.getValue(), now).ifPresent(out::add);
            }
            recent.put(line, new Window(now));
            out.add(line);
        } else {
            out.add(window.suppressed == 0 ? line : line + " (" + repeats(window, now) + ")");
            recent.remove(line); // re-insert: the map's order is the order of the windows' starts
            window.startNanos = now;
            window.suppressed = 0;
            recent.put(line, window);
        }
        return out;
    }

    /** Return, and forget, the counts not reported yet: for the end of the program. */
    synchronized List<String> drain() {
        long now = nanoClock.getAsLong();
        List<String> out = new ArrayList<>();
        recent.forEach((line, window) -> summary(line, window, now).ifPresent(out::add));
        recent.clear();
        return out;
    }

    private static Optional<String> summary(String line, Window window, long now) {
        return window.suppressed == 0 ? Optional.empty()
                : Optional.of(line + " (" + repeats(window, now) + ")");
    }

    private static String repeats(Window window, long now) {
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(now - window.startNanos));
        return "repeated " + window.suppressed + (window.suppressed == 1 ? " more time" : " more times") + " in the last "
                + seconds + " s";
    }
}
