package dev.streamer.app.status;

import dev.streamer.app.config.Json;
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
 *   <li>{@link Mode#LINE}: one line on the terminal, rewritten in place every second;
 *   <li>{@link Mode#LOG}: the same line as a plain line every ten seconds (for logs and services);
 *   <li>{@link Mode#JSON}: one JSON object per line on standard output, for every state change and
 *       every status snapshot;
 *   <li>{@link Mode#NONE}: nothing beyond the log.
 * </ul>
 */
public final class StatusPrinter implements EngineListener {

    /** How to show the status. */
    public enum Mode { AUTO, LINE, LOG, JSON, NONE }

    private static final int LOG_EVERY = 10;

    private final Mode mode;
    private final PrintStream out;
    private final PrintStream err;
    private int snapshots;
    private boolean lineShown;

    public StatusPrinter(Mode mode, PrintStream out, PrintStream err, boolean terminal) {
        this.mode = mode == Mode.AUTO ? (terminal ? Mode.LINE : Mode.LOG) : mode;
        this.out = out;
        this.err = err;
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
            err.print("\r\033[K"); // the log line about the change takes the place of the status line
            lineShown = false;
        }
    }

    @Override
    public synchronized void status(StreamStatus status) {
        switch (mode) {
            case LINE -> {
                err.print("\r\033[K" + line(status));
                err.flush();
                lineShown = true;
                if (status.state() == StreamState.STOPPED || status.state() == StreamState.FAILED) {
                    err.println();
                    lineShown = false;
                }
            }
            case LOG -> {
                boolean last = status.state() == StreamState.STOPPED || status.state() == StreamState.FAILED;
                if (snapshots++ % LOG_EVERY == LOG_EVERY - 1 || last) {
                    err.println(line(status));
                    err.flush();
                }
            }
            case JSON -> {
                out.println(json(status));
                out.flush();
            }
            default -> {
            }
        }
    }

    /** Return the one-line summary, e.g. {@code streaming tcp://h:4953 up 0:01:02 1536 kb/s sent 11.9 MB buffer 8/2000 ms lost 0 ms errors 0}. */
    public static String line(StreamStatus s) {
        long lost = s.deviceOverrunMillis() + s.ringOverflowMillis() + s.latencyDropMillis();
        return String.format(Locale.ROOT, "%-12s %s%s  up %s  %.0f kb/s  sent %s  buffer %d/%d ms  lost %d ms  dropped stale %d ms  errors %d",
                s.state().label(), s.target(), s.peer().isEmpty() || s.target().endsWith(s.peer()) ? "" : " (" + s.peer() + ")",
                clock(s.uptime()), s.bitrateKbps(), bytes(s.bytesSent()), s.bufferedMillis(), s.ringMillis(), lost,
                s.staleDrainMillis(), s.errorCount());
    }

    /** Return the snapshot as a JSON object. */
    public static ObjectNode json(StreamStatus s) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("event", "status");
        node.put("state", s.state().label());
        node.put("target", s.target());
        node.put("peer", s.peer());
        node.put("source", s.source());
        node.put("uptimeMillis", s.uptime().toMillis());
        node.put("bytesSent", s.bytesSent());
        node.put("bitrateKbps", Math.round(s.bitrateKbps() * 10) / 10.0);
        node.put("bufferedMillis", s.bufferedMillis());
        node.put("ringMillis", s.ringMillis());
        node.put("deviceOverrunMillis", s.deviceOverrunMillis());
        node.put("ringOverflowMillis", s.ringOverflowMillis());
        node.put("latencyDropMillis", s.latencyDropMillis());
        node.put("staleDrainMillis", s.staleDrainMillis());
        node.put("connects", s.connects());
        ObjectNode errors = node.putObject("errors");
        s.errors().forEach((kind, count) -> errors.put(kind.name().toLowerCase(Locale.ROOT), count));
        node.put("lastError", s.lastError());
        return node;
    }

    private static String clock(Duration d) {
        return String.format(Locale.ROOT, "%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }

    private static String bytes(long n) {
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f kB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", n / (1024.0 * 1024));
    }
}
