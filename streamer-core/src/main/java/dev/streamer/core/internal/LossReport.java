package dev.streamer.core.internal;

/**
 * Decides when a growing loss counter is worth a log line: the first loss at once, later ones at
 * most once per interval, each line with everything new since the last. A struggling machine loses
 * a little audio every second; one line every few seconds says so without flooding the log. One
 * thread only; allocates nothing.
 */
public final class LossReport {
    private final long intervalNanos;
    private long reported; // the total at the last report; 0 before the first
    private long reportedAtNanos;

    public LossReport(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /**
     * Note the loss counter's {@code total} at {@code nowNanos}.
     *
     * @return what is new since the last report, if a report is due now; else 0, and the news waits
     *     for the next report
     */
    public long due(long total, long nowNanos) {
        if (total <= reported || reported > 0 && nowNanos - reportedAtNanos < intervalNanos) {
            return 0;
        }
        long fresh = total - reported;
        reported = total;
        reportedAtNanos = nowNanos;
        return fresh;
    }
}
