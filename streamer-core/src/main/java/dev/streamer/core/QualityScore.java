package dev.streamer.core;

/**
 * The link quality score, 0 to 100, and its bands. Computed every 5 s while connected from:
 *
 * <ul>
 *   <li><b>J</b>, the network jitter in ms: the larger of the send jitter and, where the OS
 *       reports it, the connection's RTT variance averaged over about 5 s;
 *   <li><b>L</b>, the audio lost in the last minute in ms: device overruns, ring overflow and
 *       standing-backlog drops (audio discarded while disconnected is not counted here: the
 *       failure that caused it is; underruns are audio that came late, not lost, and show in the
 *       send jitter);
 *   <li><b>R</b>, the TCP retransmissions in the last minute, where the OS reports them: packets
 *       the network lost and TCP sent again; no audio is lost, but each one holds the stream
 *       back by at least a round trip;
 *   <li><b>E</b>, the link failures of any kind in the last minute (each one is a reconnect);
 *   <li><b>F</b>, the highest ring fill seen in the last 5 s, as a fraction of the effective
 *       capacity (buffer health is 1 - F).
 * </ul>
 *
 * <pre>
 * base(J)     = 100 - 2 J                 for J &lt;= 15 ms   (5 ms: 90, 15 ms: 70)
 *             = 70 - (J - 15) * 4 / 7     for J &lt;= 50 ms   (50 ms: 50)
 *             = max(0, 50 - (J - 50) / 2) above
 * loss        = min(40, 10 log10(1 + L))  (1 ms: 3, 10 ms: 10, 100 ms: 20, 1 s: 30)
 * retransmits = min(20, 5 log10(1 + R))   (1: 1.5, 10: 5, 100: 10, 1000: 15)
 * errors      = min(30, 15 E)
 * buffer      = F &lt;= 0.5 ? 0 : 40 (F - 0.5)   (a full ring: 20)
 * score       = floor(clamp(base - loss - retransmits - errors - buffer, 0, 100))
 * </pre>
 *
 * Rounded down, so that the jitter bands line up with the score bands: jitter below 5 ms
 * (excellent, wired) alone leaves the score Excellent, 5-15 ms (good, WiFi) Good, 15-50 ms (fair)
 * Fair, above 50 ms Poor. Any audible loss costs points at once, and network loss that TCP hides
 * costs some (log scales: the first milliseconds and the first retransmissions matter most).
 */
public final class QualityScore {
    /** Lowest score of each band. */
    public static final int EXCELLENT = 90;
    public static final int GOOD = 70;
    public static final int FAIR = 50;

    private QualityScore() {
    }

    /** The score before penalties, from the network jitter in ms. */
    public static double base(double jitterMillis) {
        double j = Math.max(0, jitterMillis);
        if (j <= 15) {
            return 100 - 2 * j;
        }
        if (j <= 50) {
            return 70 - (j - 15) * 4 / 7;
        }
        return Math.max(0, 50 - (j - 50) / 2);
    }

    /** The penalty for {@code lostMillis} of audio lost in the last minute. */
    public static double lossPenalty(long lostMillis) {
        return Math.min(40, 10 * Math.log10(1 + Math.max(0, lostMillis)));
    }

    /** The penalty for {@code retransmits} TCP retransmissions in the last minute. */
    public static double retransmitPenalty(long retransmits) {
        return Math.min(20, 5 * Math.log10(1 + Math.max(0, retransmits)));
    }

    /** The penalty for {@code failures} link failures in the last minute. */
    public static double errorPenalty(long failures) {
        return Math.min(30, 15.0 * Math.max(0, failures));
    }

    /** The penalty for a ring that was {@code fill} full (0..1). */
    public static double bufferPenalty(double fill) {
        return fill <= 0.5 ? 0 : Math.min(20, 40 * (fill - 0.5));
    }

    /** The score from its five inputs. */
    public static int score(double jitterMillis, long lostMillis, long retransmits, long failures, double fill) {
        double raw = base(jitterMillis) - lossPenalty(lostMillis) - retransmitPenalty(retransmits) - errorPenalty(failures)
                - bufferPenalty(fill);
        return (int) Math.floor(Math.max(0, Math.min(100, raw)));
    }

    /** Return {@code Excellent} (90-100), {@code Good} (70-89), {@code Fair} (50-69) or {@code Poor} (below 50). */
    public static String label(int score) {
        if (score >= EXCELLENT) {
            return "Excellent";
        }
        if (score >= GOOD) {
            return "Good";
        }
        return score >= FAIR ? "Fair" : "Poor";
    }

    /**
     * Return the band of a jitter in ms: {@code excellent} below 5 (wired), {@code good} 5-15
     * (WiFi), {@code fair} 15-50, {@code poor} above 50.
     */
    public static String jitterBand(double jitterMillis) {
        if (jitterMillis < 5) {
            return "excellent";
        }
        if (jitterMillis <= 15) {
            return "good";
        }
        return jitterMillis <= 50 ? "fair" : "poor";
    }
}
