package dev.streamer.app.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Levels, the log file, and rate-limited repeats, through the real System.Logger plumbing. */
class LoggingTests {
    private static final System.Logger LOG = System.getLogger("dev.streamer.test");
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @AfterEach
    void restore() throws IOException {
        Logging.configure(LogLevel.INFO, false, null, System.err);
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines()
                .map(line -> line.replaceFirst("^\\d{4}-\\d{2}-\\d{2} [\\d:.]+ ", "")).toList(); // without the time
    }

    private void advanceSeconds(long seconds) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void theLevelDecidesWhatIsWritten() {
        Logging.configure(LogLevel.WARN, out, now::get);
        LOG.log(System.Logger.Level.INFO, "connected");
        LOG.log(System.Logger.Level.DEBUG, "detail");
        LOG.log(System.Logger.Level.WARNING, "slow");
        LOG.log(System.Logger.Level.ERROR, "failed");
        assertThat(lines()).containsExactly("WARN  slow", "ERROR failed");

        out.reset();
        Logging.configure(LogLevel.TRACE, out, now::get);
        LOG.log(System.Logger.Level.TRACE, "every chunk");
        LOG.log(System.Logger.Level.DEBUG, "detail");
        assertThat(lines()).containsExactly("TRACE every chunk", "DEBUG detail");
    }

    @Test
    void identicalWarningsAreWrittenOncePerMinuteWithTheCountOfTheOthers() {
        Logging.configure(LogLevel.INFO, out, now::get);
        for (int i = 0; i < 30; i++) { // a retry every 2 s for a minute
            LOG.log(System.Logger.Level.WARNING, "tcp://h:4953: connection refused");
            LOG.log(System.Logger.Level.INFO, "reconnecting in 2 s"); // information is never suppressed
            advanceSeconds(2);
        }
        LOG.log(System.Logger.Level.WARNING, "tcp://h:4953: connection refused");
        LOG.log(System.Logger.Level.WARNING, "tcp://h:4953: connection refused");
        Logging.finish();

        List<String> warnings = lines().stream().filter(line -> line.startsWith("WARN")).toList();
        assertThat(warnings).containsExactly(
                "WARN  tcp://h:4953: connection refused",
                "WARN  tcp://h:4953: connection refused (repeated 29 more times in the last 60 s)",
                "WARN  tcp://h:4953: connection refused (repeated 1 more time in the last 1 s)");
        assertThat(lines()).filteredOn(line -> line.startsWith("INFO")).hasSize(30);
    }

    @Test
    void differentWarningsAreNotMerged() {
        Logging.configure(LogLevel.INFO, out, now::get);
        LOG.log(System.Logger.Level.WARNING, "reset by peer");
        LOG.log(System.Logger.Level.WARNING, "write timed out");
        LOG.log(System.Logger.Level.ERROR, "reset by peer"); // another level: another line
        LOG.log(System.Logger.Level.WARNING, "reset by peer");
        Logging.finish();
        assertThat(lines()).containsExactly("WARN  reset by peer", "WARN  write timed out", "ERROR reset by peer",
                "WARN  reset by peer (repeated 1 more time in the last 1 s)");
    }

    @Test
    void aLineForgottenToMakeRoomIsReportedWithItsCountFirst() {
        Logging.configure(LogLevel.INFO, out, now::get);
        LOG.log(System.Logger.Level.WARNING, "first");
        LOG.log(System.Logger.Level.WARNING, "first");
        for (int i = 1; i < RepeatSuppressor.CAPACITY; i++) {
            LOG.log(System.Logger.Level.WARNING, "other " + i);
        }
        LOG.log(System.Logger.Level.WARNING, "one too many");
        assertThat(lines()).hasSize(RepeatSuppressor.CAPACITY + 2)
                .endsWith("WARN  first (repeated 1 more time in the last 1 s)", "WARN  one too many");
    }

    @Test
    void aLogFileIsAppendedWithTheDate(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("streamer.log");
        Files.writeString(file, "earlier line\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Logging.configure(LogLevel.INFO, false, file, new PrintStream(err, true, StandardCharsets.UTF_8));
        LOG.log(System.Logger.Level.INFO, "connected");
        Logging.finish();

        List<String> written = Files.readAllLines(file);
        assertThat(written).hasSize(2).first().isEqualTo("earlier line");
        assertThat(written.get(1)).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} INFO  connected");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aLogFileInAMissingDirectoryIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> Logging.configure(LogLevel.INFO, false, dir.resolve("missing/streamer.log"), System.err))
                .isInstanceOf(IOException.class);
    }
}
