package dev.streamer.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code bin/streamer} of the image as a subprocess: its stdout lines (parsed as JSON where they
 * are), its stderr, signals, and its exit code.
 *
 * <p>The jlink launcher is a shell script that runs {@code java} without {@code exec}, so the JVM
 * is a child of {@link #process}: signals meant for streamer go to {@link #jvm()}, and
 * {@link #close()} kills the whole tree.
 */
final class StreamerProcess implements AutoCloseable {
    private static final Path CONFIG_HOME = emptyConfigHome();

    private final List<String> command;
    private final Process process;
    private final List<String> stdoutLines = new ArrayList<>();
    private final List<JsonNode> events = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();
    private final Thread stdoutReader;
    private final Thread stderrReader;
    /** The JVM once found: it outlives the launcher when only the launcher is signalled. */
    private volatile ProcessHandle jvm;

    private StreamerProcess(List<String> command, Process process) {
        this.command = command;
        this.process = process;
        this.stdoutReader = Thread.ofVirtual().start(this::readStdout);
        this.stderrReader = Thread.ofVirtual().start(this::readStderr);
    }

    /** Start {@code bin/streamer args...}. */
    static StreamerProcess start(String... args) {
        return start(Map.of(), args);
    }

    /** Start {@code bin/streamer args...} with these environment variables besides the usual ones. */
    static StreamerProcess start(Map<String, String> extraEnvironment, String... args) {
        List<String> command = command(args);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(environment());
            builder.environment().putAll(extraEnvironment);
            StreamerProcess started = new StreamerProcess(command, builder.start());
            started.findJvm(Duration.ofSeconds(5)); // remember it now, while it is still the launcher's child
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Run {@code bin/streamer args...} to completion (at most {@code timeout}). */
    static Peers.Result run(Duration timeout, String... args) {
        return run(timeout, Map.of(), args);
    }

    /** Run {@code bin/streamer args...} to completion, with these environment variables besides the usual ones. */
    static Peers.Result run(Duration timeout, Map<String, String> extraEnvironment, String... args) {
        Map<String, String> env = new java.util.HashMap<>(environment());
        env.putAll(extraEnvironment);
        return Peers.run(timeout, env, command(args).toArray(String[]::new));
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Peers.launcher().toString());
        command.addAll(List.of(args));
        return command;
    }

    /** A user's own ~/.config/streamer/config.json must not change what the tests run. */
    private static Map<String, String> environment() {
        return Map.of("XDG_CONFIG_HOME", CONFIG_HOME.toString());
    }

    private static Path emptyConfigHome() {
        try {
            Path dir = Files.createTempDirectory("streamer-it-config-home");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readStdout() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                JsonNode event = null;
                if (line.startsWith("{")) {
                    try {
                        event = Snapserver.JSON.readTree(line);
                    } catch (JacksonException e) {
                        // kept as a plain line; a test that expects JSON sees it in the diagnostics
                    }
                }
                synchronized (this) {
                    stdoutLines.add(line);
                    if (event != null) {
                        events.add(event);
                    }
                }
            }
        } catch (IOException e) {
            // process gone
        }
    }

    private void readStderr() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (this) {
                    stderr.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            // process gone
        }
    }

    synchronized List<JsonNode> events() {
        return List.copyOf(events);
    }

    synchronized String stderr() {
        return stderr.toString();
    }

    synchronized List<String> stdoutLines() {
        return List.copyOf(stdoutLines);
    }

    /** Return the state events ({@code {"event":"state",...}}) in order. */
    List<JsonNode> stateEvents() {
        return events().stream().filter(e -> e.path("event").asString().equals("state")).toList();
    }

    /** Return the status snapshots ({@code {"event":"status",...}}) in order. */
    List<JsonNode> statusEvents() {
        return events().stream().filter(e -> e.path("event").asString().equals("status")).toList();
    }

    /** Return the first event that matches, waiting at most {@code timeout}; fail if the process ends first. */
    JsonNode awaitEvent(String what, Duration timeout, Predicate<JsonNode> match) {
        return awaitNth(what, timeout, match, 1);
    }

    /** Wait for the {@code n}-th state event with {@code state} (1 = the first). */
    JsonNode awaitState(String state, int n, Duration timeout) {
        return awaitNth("state event #" + n + " '" + state + "'", timeout,
                e -> e.path("event").asString().equals("state") && e.path("state").asString().equals(state), n);
    }

    private JsonNode awaitNth(String what, Duration timeout, Predicate<JsonNode> match, int n) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean alive = process.isAlive();
            if (!alive) {
                joinReaders(); // every line the process wrote is in
            }
            List<JsonNode> found = events().stream().filter(match).limit(n).toList();
            if (found.size() == n) {
                return found.getLast();
            }
            if (!alive) {
                fail("streamer exited (" + process.exitValue() + ") before " + what + "\n" + diagnostics());
            }
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeout.toMillis() + " ms waiting for " + what + "\n" + diagnostics());
            }
            Poll.pause(20);
        }
    }

    JsonNode awaitState(String state, Duration timeout) {
        return awaitState(state, 1, timeout);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Return the JVM: the launcher's {@code java} child, or the process itself if the launcher
     * {@code exec}s.
     */
    ProcessHandle jvm() {
        return findJvm(Duration.ofSeconds(10))
                .orElseGet(() -> fail("no java process under the launcher " + process.pid() + "\n" + diagnostics()));
    }

    private Optional<ProcessHandle> findJvm(Duration timeout) {
        if (process.info().command().map(c -> c.endsWith("/java")).orElse(false)) {
            return Optional.of(process.toHandle());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (jvm == null) {
            process.descendants().filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                    .findFirst().ifPresent(found -> jvm = found);
            if (jvm != null || !process.isAlive() || System.nanoTime() - deadline > 0) {
                break;
            }
            Poll.pause(10);
        }
        return Optional.ofNullable(jvm);
    }

    /** Send a signal ({@code INT}, {@code TERM}) to the JVM, as Ctrl-C or a service manager would. */
    void signal(String name) {
        long pid = jvm().pid();
        Peers.Result kill = Peers.run(Duration.ofSeconds(5), "kill", "-" + name, Long.toString(pid));
        if (kill.exitCode() != 0) {
            fail("kill -" + name + " " + pid + " failed: " + kill);
        }
    }

    /** Send a signal to the launcher's own pid, as {@link Process#destroy()}, {@code kill PID} or a supervisor would. */
    void signalLauncher(String name) {
        Peers.Result kill = Peers.run(Duration.ofSeconds(5), "kill", "-" + name, Long.toString(process.pid()));
        if (kill.exitCode() != 0) {
            fail("kill -" + name + " " + process.pid() + " failed: " + kill);
        }
    }

    /** Wait for the exit code; fail after {@code timeout}. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("streamer did not exit within " + timeout.toMillis() + " ms\n" + diagnostics());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        joinReaders();
        return process.exitValue();
    }

    private void joinReaders() {
        try {
            stdoutReader.join(Duration.ofSeconds(5));
            stderrReader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command, the last stdout lines and the stderr, for failure messages. */
    synchronized String diagnostics() {
        List<String> tail = stdoutLines.subList(Math.max(0, stdoutLines.size() - 15), stdoutLines.size());
        return "command: " + String.join(" ", command) + (process.isAlive() ? " (running)" : " (exit " + process.exitValue() + ")")
                + "\n--- stdout (last " + tail.size() + " of " + stdoutLines.size() + " lines) ---\n" + String.join("\n", tail)
                + "\n--- stderr ---\n" + stderr;
    }

    @Override
    public void close() {
        ProcessHandle known = jvm;
        Peers.killTree(process);
        if (known != null && known.isAlive()) {
            known.destroyForcibly();
            known.onExit().completeOnTimeout(known, 5, TimeUnit.SECONDS).join();
        }
        joinReaders();
    }
}
