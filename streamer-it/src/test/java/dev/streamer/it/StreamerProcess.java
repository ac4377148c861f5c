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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code bin/streamer} of the image as a subprocess: every stdout line, the JSON ones (from
 * {@code --status json}) parsed with the {@link System#nanoTime()} they arrived at, so that tests
 * can time connection attempts, detections and reconnects from outside; its stderr, signals, and
 * its exit code.
 *
 * <p>The launcher {@code exec}s the JVM, and so does {@code ip netns exec}: the pid of the process
 * started here is normally the JVM's. Should a launcher not exec, the JVM is found among its
 * children, signals go to it, and {@link #close()} kills the whole tree.
 */
final class StreamerProcess implements AutoCloseable {
    private static final Path CONFIG_HOME = emptyConfigHome();

    /** One JSON line of stdout and when it arrived. */
    record Event(long nanos, JsonNode json) {
        JsonNode path(String field) {
            return json.path(field);
        }

        String event() {
            return json.path("event").asString();
        }

        String state() {
            return json.path("state").asString();
        }

        String detail() {
            return json.path("detail").asString();
        }

        long errors(String kind) {
            return json.path("errors").path(kind).asLong(0);
        }

        /** Seconds of "next attempt in 4.3 s" of a reconnecting event, NaN if absent. */
        double nextAttemptSeconds() {
            String d = detail();
            int at = d.lastIndexOf("next attempt in ");
            if (at < 0) {
                return Double.NaN;
            }
            String rest = d.substring(at + "next attempt in ".length());
            return Double.parseDouble(rest.substring(0, rest.indexOf(' ')));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.3f %s", nanos / 1e9, json);
        }
    }

    private final List<String> command;
    private final Process process;
    /** Lines as read, with their arrival time; parsed later, so that parsing one never delays the time stamp of the next. */
    private final List<Line> raw = new ArrayList<>();
    private int parsed;
    private final List<Event> events = new ArrayList<>();
    private final List<String> stdoutLines = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();
    private final Thread stdoutReader;
    private final Thread stderrReader;
    /** The JVM once found: it would outlive a launcher that did not exec when only the launcher is signalled. */
    private volatile ProcessHandle jvm;

    private record Line(long nanos, String text) {
    }

    private StreamerProcess(List<String> command, Process process) {
        this.command = command;
        this.process = process;
        this.stdoutReader = Thread.ofPlatform().daemon().name("streamer-stdout").start(this::readStdout);
        this.stderrReader = Thread.ofPlatform().daemon().name("streamer-stderr").start(this::readStderr);
    }

    /** Start {@code bin/streamer args...}. */
    static StreamerProcess start(String... args) {
        return start(Map.of(), List.of(), args);
    }

    /** Start {@code bin/streamer args...} with these environment variables besides the usual ones. */
    static StreamerProcess start(Map<String, String> extraEnvironment, String... args) {
        return start(extraEnvironment, List.of(), args);
    }

    /** Start {@code bin/streamer stream --status json args...} on this machine. */
    static StreamerProcess stream(String... args) {
        return start(Map.of(), List.of(), json(args));
    }

    /** Start it inside the network namespace {@code ns} ({@code ip netns exec ns bin/streamer stream --status json ...}). */
    static StreamerProcess streamIn(String ns, String... args) {
        return start(Map.of(), List.of("ip", "netns", "exec", ns), json(args));
    }

    private static String[] json(String... args) {
        List<String> all = new ArrayList<>(List.of("stream", "--status", "json"));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    private static StreamerProcess start(Map<String, String> extraEnvironment, List<String> prefix, String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(command(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(environment());
            builder.environment().putAll(extraEnvironment);
            StreamerProcess started = new StreamerProcess(command, builder.start());
            started.findJvm(Duration.ofSeconds(5)); // now, while it is certainly the process or its child
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
                long now = System.nanoTime();
                synchronized (this) {
                    raw.add(new Line(now, line));
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

    /** Parse the lines read since the last call; the caller holds the lock. */
    private void parse() {
        for (; parsed < raw.size(); parsed++) {
            Line line = raw.get(parsed);
            stdoutLines.add(line.text());
            if (line.text().startsWith("{")) {
                try {
                    events.add(new Event(line.nanos(), Snapserver.JSON.readTree(line.text())));
                } catch (JacksonException e) {
                    // kept as a plain line; a test that expects JSON sees it in the diagnostics
                }
            }
        }
    }

    synchronized List<Event> events() {
        parse();
        return List.copyOf(events);
    }

    synchronized String stderr() {
        return stderr.toString();
    }

    synchronized List<String> stdoutLines() {
        parse();
        return List.copyOf(stdoutLines);
    }

    /** The state events ({@code {"event":"state",...}}) in order. */
    List<Event> states() {
        return events().stream().filter(e -> e.event().equals("state")).toList();
    }

    /** The state events {@code state} in order (e.g. every "connecting" = every connection attempt). */
    List<Event> states(String state) {
        return states().stream().filter(e -> e.state().equals(state)).toList();
    }

    /** The status snapshots ({@code {"event":"status",...}}) in order. */
    List<Event> statuses() {
        return events().stream().filter(e -> e.event().equals("status")).toList();
    }

    /** The last status snapshot, or null. */
    Event lastStatus() {
        List<Event> s = statuses();
        return s.isEmpty() ? null : s.getLast();
    }

    /** Errors of {@code kind} in the last status snapshot (0 before the first). */
    long errors(String kind) {
        Event last = lastStatus();
        return last == null ? 0 : last.errors(kind);
    }

    /** Wait for the {@code n}-th event that matches; fail if the process ends first or at the deadline. */
    Event await(String what, Duration timeout, int n, Predicate<Event> match) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean alive = process.isAlive();
            if (!alive) {
                joinReaders(); // every line the process wrote is in
            }
            List<Event> found = events().stream().filter(match).limit(n).toList();
            if (found.size() == n) {
                return found.getLast();
            }
            if (!alive) {
                fail("streamer exited (" + process.exitValue() + ") before " + what + "\n" + diagnostics());
            }
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeout.toMillis() + " ms waiting for " + what + "\n" + diagnostics());
            }
            Poll.pause(10);
        }
    }

    /** Wait for the first event that matches. */
    Event awaitEvent(String what, Duration timeout, Predicate<Event> match) {
        return await(what, timeout, 1, match);
    }

    /** Wait for the {@code n}-th state event {@code state} (1 = the first). */
    Event awaitState(String state, int n, Duration timeout) {
        return await("state event #" + n + " '" + state + "'", timeout, n,
                e -> e.event().equals("state") && e.state().equals(state));
    }

    Event awaitState(String state, Duration timeout) {
        return awaitState(state, 1, timeout);
    }

    /** Wait for the first state event {@code state} that arrived after {@code afterNanos}. */
    Event awaitStateAfter(String state, long afterNanos, Duration timeout) {
        return await("state event '" + state + "' after t=" + afterNanos / 1e9, timeout, 1,
                e -> e.nanos() > afterNanos && e.event().equals("state") && e.state().equals(state));
    }

    /** Wait until a status snapshot counts at least {@code count} errors of {@code kind}. */
    Event awaitErrors(String kind, long count, Duration timeout) {
        return await(count + " error(s) '" + kind + "' in a status snapshot", timeout, 1,
                e -> e.event().equals("status") && e.errors(kind) >= count);
    }

    /** The longest time between two status snapshots so far, in seconds (the sender is never stuck). */
    double longestStatusGapSeconds() {
        List<Event> s = statuses();
        double longest = 0;
        for (int i = 1; i < s.size(); i++) {
            longest = Math.max(longest, (s.get(i).nanos() - s.get(i - 1).nanos()) / 1e9);
        }
        return longest;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The JVM: the process itself once the launcher exec'd it, or else its {@code java} child. */
    ProcessHandle jvm() {
        return findJvm(Duration.ofSeconds(10))
                .orElseGet(() -> fail("no java process under the launcher " + process.pid() + "\n" + diagnostics()));
    }

    long pid() {
        return jvm().pid();
    }

    private Optional<ProcessHandle> findJvm(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (jvm == null) {
            if (isJava(process.toHandle())) {
                jvm = process.toHandle();
            } else {
                process.descendants().filter(StreamerProcess::isJava).findFirst().ifPresent(found -> jvm = found);
            }
            if (jvm != null || !process.isAlive() || System.nanoTime() - deadline > 0) {
                break;
            }
            Poll.pause(10);
        }
        return Optional.ofNullable(jvm);
    }

    private static boolean isJava(ProcessHandle handle) {
        return handle.info().command().map(c -> c.endsWith("/java")).orElse(false);
    }

    /** Send a signal ({@code INT}, {@code TERM}, {@code KILL}) to the JVM, as Ctrl-C or a service manager would. */
    void signal(String name) {
        kill(name, pid());
    }

    /** Send a signal to the launcher's own pid, as {@link Process#destroy()}, {@code kill PID} or a supervisor would. */
    void signalLauncher(String name) {
        kill(name, process.pid());
    }

    private void kill(String name, long pid) {
        Peers.Result kill = Peers.run(Duration.ofSeconds(5), "kill", "-" + name, Long.toString(pid));
        if (kill.exitCode() != 0) {
            fail("kill -" + name + " " + pid + " failed: " + kill);
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

    /** The command, the state events, the last status, other stdout and stderr, for failure messages. */
    synchronized String diagnostics() {
        parse();
        StringBuilder out = new StringBuilder("command: ").append(String.join(" ", command))
                .append(process.isAlive() ? " (running)" : " (exit " + process.exitValue() + ")").append("\n--- state events ---\n");
        events.stream().filter(e -> e.event().equals("state")).forEach(e -> out.append(e).append('\n'));
        events.stream().filter(e -> e.event().equals("status")).reduce((a, b) -> b)
                .ifPresent(e -> out.append("--- last status ---\n").append(e).append('\n'));
        List<String> plain = stdoutLines.stream().filter(line -> !line.startsWith("{")).toList();
        if (!plain.isEmpty()) {
            List<String> tail = plain.subList(Math.max(0, plain.size() - 15), plain.size());
            out.append("--- other stdout (last ").append(tail.size()).append(") ---\n").append(String.join("\n", tail)).append('\n');
        }
        return out.append("--- stderr ---\n").append(stderr).toString();
    }

    @Override
    public void close() {
        ProcessHandle known = jvm;
        Peers.killTree(process);
        if (known != null && known.isAlive()) {
            known.destroyForcibly(); // orphaned if the launcher did not exec
            known.onExit().completeOnTimeout(known, 5, TimeUnit.SECONDS).join();
        }
        joinReaders();
    }
}
