package dev.streamer.app.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Routes every module's {@code System.Logger} (backed by java.util.logging in the image) to one
 * short line per record: {@code 12:00:01 INFO  connected to ...} on standard error, or with the
 * date to a {@code --log-file}. Identical warnings and errors are rate-limited with a count.
 */
public final class Logging {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static volatile Runnable beforeEachRecord = () -> { };
    private static LineHandler installed;

    private Logging() {
    }

    /**
     * Run {@code action} just before each log line is written to the terminal (under the stream's
     * lock): the live status line uses it to clear itself so that a log line never runs into it.
     */
    public static void beforeEachRecord(Runnable action) {
        beforeEachRecord = action;
    }

    /**
     * Log at {@code level} to {@code file} (appended; created if missing) or, without one, to
     * {@code err}; with stack traces when {@code stackTraces}.
     *
     * @throws IOException when the file cannot be opened for appending
     */
    public static synchronized void configure(LogLevel level, boolean stackTraces, Path file, PrintStream err)
            throws IOException {
        PrintStream target = file == null ? err : new PrintStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), true, StandardCharsets.UTF_8);
        install(new LineHandler(target, file != null, stackTraces, System::nanoTime), level);
    }

    /** Send lines to {@code out} with {@code nanoClock} timing the repeat windows: for tests. */
    static synchronized void configure(LogLevel level, OutputStream out, LongSupplier nanoClock) {
        install(new LineHandler(new PrintStream(out, true, StandardCharsets.UTF_8), true, false, nanoClock), level);
    }

    /** Write the counts of suppressed repeats not reported yet and flush; call before exiting. */
    public static synchronized void finish() {
        if (installed != null) {
            installed.finish();
        }
    }

    private static void install(LineHandler handler, LogLevel level) {
        Logger root = Logger.getLogger("");
        for (Handler old : root.getHandlers()) {
            root.removeHandler(old);
            old.close();
        }
        root.setLevel(level.julLevel);
        handler.setLevel(level.julLevel);
        root.addHandler(handler);
        installed = handler;
    }

    /** One line per record; repeats of a warning or error go through the {@link RepeatSuppressor}. */
    private static final class LineHandler extends Handler {
        private final PrintStream out;
        private final boolean toFile;
        private final boolean stackTraces;
        private final RepeatSuppressor repeats;
        private final SimpleFormatter formatter = new SimpleFormatter();

        LineHandler(PrintStream out, boolean toFile, boolean stackTraces, LongSupplier nanoClock) {
            this.out = out;
            this.toFile = toFile;
            this.stackTraces = stackTraces;
            this.repeats = new RepeatSuppressor(nanoClock);
        }

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String line = label(record.getLevel()) + " " + formatter.formatMessage(record);
            List<String> lines = record.getLevel().intValue() >= Level.WARNING.intValue() ? repeats.admit(line) : List.of(line);
            if (lines == null) {
                return;
            }
            synchronized (out) {
                if (!toFile) {
                    beforeEachRecord.run();
                }
                String time = LocalDateTime.now().format(toFile ? DATE_TIME : TIME);
                for (String each : lines) {
                    out.println(time + " " + each);
                }
                if (stackTraces && record.getThrown() != null) {
                    record.getThrown().printStackTrace(out);
                }
                out.flush();
            }
        }

        void finish() {
            List<String> pending = repeats.drain();
            synchronized (out) {
                String time = LocalDateTime.now().format(toFile ? DATE_TIME : TIME);
                for (String each : pending) {
                    out.println(time + " " + each);
                }
                out.flush();
            }
        }

        private static String label(Level level) {
            int value = level.intValue();
            return value >= Level.SEVERE.intValue() ? "ERROR"
                    : value >= Level.WARNING.intValue() ? "WARN "
                    : value >= Level.INFO.intValue() ? "INFO "
                    : value >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            finish();
            if (toFile) {
                out.close();
            }
        }
    }
}
