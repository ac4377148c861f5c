package dev.streamer.app.logging;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes every module's {@code System.Logger} (backed by java.util.logging in the image) to one
 * short line per record on standard error: {@code 12:00:01 INFO  streaming: connected to ...}.
 */
public final class Logging {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static volatile Runnable beforeEachRecord = () -> { };

    private Logging() {
    }

    /**
     * Run {@code action} just before each log line is written (under the stream's lock): the live
     * status line uses it to clear itself so that a log line never runs into it.
     */
    public static void beforeEachRecord(Runnable action) {
        beforeEachRecord = action;
    }

    /** Log at INFO, or at FINE (with stack traces) when {@code debug}. */
    public static void configure(boolean debug, boolean quiet, PrintStream err) {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        Level level = debug ? Level.FINE : quiet ? Level.WARNING : Level.INFO;
        root.setLevel(level);
        root.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (!isLoggable(record)) {
                    return;
                }
                String message = new java.util.logging.SimpleFormatter().formatMessage(record);
                String label = switch (record.getLevel().getName()) {
                    case "SEVERE" -> "ERROR";
                    case "WARNING" -> "WARN ";
                    case "INFO" -> "INFO ";
                    default -> "DEBUG";
                };
                synchronized (err) {
                    beforeEachRecord.run();
                    err.println(LocalTime.now().format(TIME) + " " + label + " " + message);
                    if (debug && record.getThrown() != null) {
                        record.getThrown().printStackTrace(err);
                    }
                    err.flush();
                }
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {
            }
        });
        root.getHandlers()[0].setLevel(level);
    }
}
