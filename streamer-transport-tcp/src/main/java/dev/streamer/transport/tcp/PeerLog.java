package dev.streamer.transport.tcp;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs an event about a peer without flooding: the first per reason and address at the given
 * level, later ones at DEBUG with their count. A peer reconnecting in a loop, or a scan from many
 * addresses, costs one line per address (up to {@value #MAX_ADDRESSES}, then counted only).
 */
final class PeerLog {

    static final int MAX_ADDRESSES = 1024;

    private final System.Logger logger;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();

    PeerLog(System.Logger logger) {
        this.logger = logger;
    }

    /** Count an event {@code reason} from {@code address}; log {@code message} as described above. */
    void log(Level first, String reason, String address, String message) {
        total.incrementAndGet();
        AtomicLong count = counts.size() < MAX_ADDRESSES
                ? counts.computeIfAbsent(reason + " " + address, key -> new AtomicLong())
                : counts.getOrDefault(reason + " " + address, new AtomicLong(1)); // full: log at DEBUG only
        long n = count.incrementAndGet();
        if (n == 1) {
            logger.log(first, message + " (more from " + address + " are counted, not logged)");
        } else {
            logger.log(Level.DEBUG, message + " (" + n + " times from " + address + ")");
        }
    }

    /** Return how many events were counted in all. */
    long total() {
        return total.get();
    }

    /** Return how many addresses had events. */
    int addresses() {
        return counts.size();
    }
}
