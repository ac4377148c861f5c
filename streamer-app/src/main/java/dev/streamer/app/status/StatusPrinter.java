package dev.streamer.app.status;

import dev.streamer.api.spi.LinkHealth;
import dev.streamer.app.config.Json;
import dev.streamer.app.logging.Logging;
import dev.streamer.core.EngineListener;
import dev.streamer.core.StreamState;
import dev.streamer.core.StreamStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import tools.jackson.databind.node.ObjectNode;

/**
 * Shows the stream to a person or a script.
 *
 * <ul>
 *   <li>{@link Mode#LINE}: one line on the terminal, rewritten in place every second: state,
 *       target, uptime, bitrate, buffer fill, RTT, jitter, quality, input level;
 *   <li>{@link Mode#LOG}: the same line as an INFO log line every ten seconds (for log files and services);
 *   <li>{@link Mode#JSON}: one JSON object per line on standard output: {@code "state"} on every
 *       state change, {@code "status"} every second with every metric (its {@code quality} object
 *       changes every 5 s), and {@code "quality"} each time the quality is rated;
 *   <li>{@link Mode#NONE}: nothing beyond the log.
 * </ul>
 */
public final class StatusPrinter implements EngineListener {

    /** How to show the status. */
    public enum Mode { AUTO, LINE, LOG, JSON, NONE }

    private static final int LOG_EVERY = 10;
    private static final System.Logger LOG_LINES = System.getLogger("dev.streamer.status");
    private static final String CLEAR_LINE = "\r\033[K";

    private final Mode mode;
    private final PrintStream out;
    private final PrintStream err;
    private int snapshots;
    private boolean lineShown;
    private Duration lastRating = Duration.ofNanos(-1);

    public StatusPrinter(Mode mode, PrintStream out, PrintStream err, boolean terminal) {
        this.mode = mode == Mode.AUTO ? (terminal ? Mode.LINE : Mode.LOG) : mode;
        this.out = out;
        this.err = err;
        if (this.mode == Mode.LINE) {
            // a log line takes the place of the live line; the next snapshot draws it again below
            Logging.beforeEachRecord(() -> err.print(CLEAR_LINE));
        }
    }

    @Override
    public synchronized void stateChanged(StreamState state, String detail) {
        if (mode == Mode.JSON) {
            ObjectNode event = Json.MAPPER.createObjectNode();
            event.put("event", "state");
            event.put("state", state.label());
            event.put("detail", detail);
            out.println(event);
            out.flush();
        } else if (mode == Mode.LINE && lineShown) {
            err.print(CLEAR_LINE); // the log line about the change takes the place of the status line
            lineShown = false;
        }
    }

    @Override
    public synchronized void status(StreamStatus status) {
        boolean last = status.state() == StreamState.STOPPED || status.state() == StreamState.FAILED;
        switch (mode) {
            case LINE -> {
                err.print(CLEAR_LINE + line(status));
                err.flush();
                lineShown = true;
                if (last) {
                    err.println();
                    lineShown = false;
                }
            }
            case LOG -> {
                if (snapshots++ % LOG_EVERY == LOG_EVERY - 1 || last) {
                    LOG_LINES.log(System.Logger.Level.INFO, line(status)); // like any log line: --log-file, --quiet
                }
            }
            case JSON -> {
                out.println(json(status));
                StreamStatus.Quality quality = status.quality();
                if (quality.rated() && !quality.ratedAt().equals(lastRating)) {
                    lastRating = quality.ratedAt();
                    out.println(qualityEvent(status));
                }
                out.flush();
            }
            default -> {
            }
        }
    }

    /**
     * Return the one-line summary, e.g.
     * {@code streaming tcp://h:4953  up 0:01:02  1536 kb/s  buffer 12/2000 ms  rtt 0.4 ms  jitter 1.2 ms  Excellent 97  in -23 dBFS [######....]  lost 0 ms  errors 0}.
     */
    public static String line(StreamStatus s) {
        StreamStatus.Quality q = s.quality();
        String peer = s.peer().isEmpty() || s.target().endsWith(s.peer()) ? "" : " (" + s.peer() + ")";
        return String.format(Locale.ROOT,
                "%-12s %s%s  up %s  %.0f kb/s  buffer %d/%d ms  rtt %s  jitter %.1f ms  %s  in %s  lost %d ms  errors %d%s",
                s.state().label(), s.target(), peer, clock(s.uptime()), s.bitrateKbps(), s.bufferedMillis(), s.ringMillis(),
                rtt(s.link()), s.timing().jitterMillis(), q.rated() ? q.label() + " " + q.score() : "quality n/a",
                meter(s.input().peakDbfs()), s.losses().lostMillis(), s.errorCount(), s.sender().stuck() ? "  SENDER STUCK" : "");
    }

    /** Return the snapshot as a JSON object with every metric. */
    public static ObjectNode json(StreamStatus s) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("event", "status");
        node.put("state", s.state().label());
        node.put("target", s.target());
        node.put("peer", s.peer());
        node.put("source", s.source());
        node.put("preset", s.preset());
        node.put("uptimeMillis", s.uptime().toMillis());
        node.put("bytesSent", s.bytesSent());
        node.put("bitrateKbps", round(s.bitrateKbps(), 1));
        StreamStatus.Buffer buffer = s.buffer();
        node.put("bufferedMillis", buffer.bufferedMillis());
        node.put("ringMillis", buffer.capacityMillis());
        node.put("bufferFillPercent", round(buffer.fillPercent(), 1));
        node.put("ringMinMillis", buffer.minMillis());
        node.put("ringMaxMillis", buffer.maxMillis());
        node.put("latencyTargetMillis", buffer.latencyTargetMillis());
        node.put("ringResizes", buffer.resizes());
        node.put("ringLastResize", buffer.lastResize());
        StreamStatus.Losses losses = s.losses();
        node.put("lostMillis", losses.lostMillis());
        node.put("deviceOverrunMillis", losses.deviceOverrunMillis());
        node.put("ringOverflowMillis", losses.ringOverflowMillis());
        node.put("latencyDropMillis", losses.latencyDropMillis());
        node.put("underrunMillis", losses.underrunMillis());
        node.put("staleDrainMillis", losses.staleDrainMillis());
        StreamStatus.Timing timing = s.timing();
        node.put("jitterMillis", round(timing.jitterMillis(), 2));
        node.put("jitterBand", timing.jitterBand());
        node.put("writeMeanMillis", round(timing.writeMeanMillis(), 3));
        node.put("writeP95Millis", round(timing.writeP95Millis(), 3));
        node.put("writeMaxMillis", round(timing.writeMaxMillis(), 3));
        node.put("stalls", timing.stalls());
        node.put("stallMillis", timing.stallMillis());
        node.put("senderLatencyP50Millis", round(timing.senderLatencyP50Millis(), 3));
        node.put("senderLatencyP99Millis", round(timing.senderLatencyP99Millis(), 3));
        node.put("senderLatencyMaxMillis", round(timing.senderLatencyMaxMillis(), 3));
        LinkHealth link = s.link();
        putOrNull(node, "rttMillis", link.rttMicros(), 1000.0);
        putOrNull(node, "rttVarMillis", link.rttVarianceMicros(), 1000.0);
        putOrNull(node, "retransmits", link.retransmits(), 0);
        putOrNull(node, "unackedBytes", link.unackedBytes(), 0);
        putOrNull(node, "notSentBytes", link.notSentBytes(), 0);
        node.set("quality", quality(s.quality()));
        StreamStatus.Input input = s.input();
        node.put("inputPeakDbfs", round(input.peakDbfs(), 1));
        node.put("inputRmsDbfs", round(input.rmsDbfs(), 1));
        node.put("silence", input.silencePolicy());
        node.put("paused", input.paused());
        node.put("silentMillis", input.silentMillis());
        node.put("pausedMillis", input.pausedMillis());
        StreamStatus.Sender sender = s.sender();
        node.put("senderSinceBeatMillis", sender.sinceBeatMillis());
        node.put("senderWriteBlockedMillis", sender.writeBlockedMillis());
        node.put("senderStuck", sender.stuck());
        node.put("threadPriority", sender.threadPriority());
        node.put("connects", s.connects());
        node.put("reconnects", Math.max(0, s.connects() - 1));
        ObjectNode errors = node.putObject("errors");
        s.errors().forEach((kind, count) -> errors.put(kind.name().toLowerCase(Locale.ROOT), count));
        node.put("lastError", s.lastError());
        return node;
    }

    /** The {@code {"event":"quality",...}} line written each time the quality is rated. */
    static ObjectNode qualityEvent(StreamStatus s) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("event", "quality");
        node.put("uptimeMillis", s.uptime().toMillis());
        node.setAll(quality(s.quality()));
        putOrNull(node, "rttMillis", s.link().rttMicros(), 1000.0);
        putOrNull(node, "rttVarMillis", s.link().rttVarianceMicros(), 1000.0);
        node.put("sendJitterMillis", round(s.timing().jitterMillis(), 2));
        node.put("ringMillis", s.ringMillis());
        node.put("bufferHealthPercent", round(100 - s.buffer().fillPercent(), 1));
        return node;
    }

    private static ObjectNode quality(StreamStatus.Quality q) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        if (q.rated()) {
            node.put("score", q.score());
        } else {
            node.putNull("score");
        }
        node.put("label", q.label());
        node.put("ratedAtMillis", q.ratedAt().toMillis());
        node.put("jitterMillis", round(q.jitterMillis(), 2));
        node.put("lostMillisLastMinute", q.lostMillis());
        node.put("retransmitsLastMinute", q.retransmits());
        node.put("failuresLastMinute", q.failures());
        node.put("ringFillPercent", round(q.fillPercent(), 1));
        return node;
    }

    private static void putOrNull(ObjectNode node, String field, long value, double divisor) {
        if (value < 0) {
            node.putNull(field);
        } else if (divisor > 0) {
            node.put(field, round(value / divisor, 2));
        } else {
            node.put(field, value);
        }
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private static String rtt(LinkHealth link) {
        if (!link.hasRtt()) {
            return "n/a";
        }
        String rtt = String.format(Locale.ROOT, "%.1f", link.rttMicros() / 1000.0);
        return link.rttVarianceMicros() >= 0 ? String.format(Locale.ROOT, "%s±%.1f ms", rtt, link.rttVarianceMicros() / 1000.0)
                : rtt + " ms";
    }

    /** {@code -23 dBFS [######....]}: ten steps from -60 to 0 dBFS. */
    static String meter(double peakDbfs) {
        int filled = (int) Math.max(0, Math.min(10, Math.round((peakDbfs + 60) / 6)));
        String level = peakDbfs <= -120 ? "-inf dBFS" : String.format(Locale.ROOT, "%.0f dBFS", peakDbfs);
        return level + " [" + "#".repeat(filled) + ".".repeat(10 - filled) + "]";
    }

    private static String clock(Duration d) {
        return String.format(Locale.ROOT, "%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }
}
