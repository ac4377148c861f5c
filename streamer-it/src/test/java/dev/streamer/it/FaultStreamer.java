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
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code bin/streamer stream ... --status json} as a subprocess, for the fault tests: every JSON
 * line of its stdout with the {@link System#nanoTime()} it arrived at, so that the tests can time
 * connection attempts, detections and reconnects from outside the process.
 *
 * <p>The launcher {@code exec}s the JVM, and so does {@code ip netns exec}: the pid of the process
 * started here is the JVM's, and signals go straight to it.
 */
final class FaultStreamer implements AutoCloseable {
    private static final Path CONFIG_HOME = emptyConfigHome();

    /** One JSON line of stdout and when it arrived. */
    record Event(long nanos, JsonNode json) {
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
            return String.format(java.util.Locale.ROOT, "%.3f %s", nanos / 1e9, json);
        }
    }

    private final List<String> command;
    private final Process process;
    /** Lines as read, with their arrival time; parsed later, so that parsing one never delays the time stamp of the next. */
    private final List<Object[]> raw = new ArrayList<>();
    private int parsed;
    private final List<Event> events = new ArrayList<>();
    private final List<String> plainLines = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();
    private final Thread stdoutReader;
    private final Thread stderrReader;
    private volatile long jvmPid = -1;

    private FaultStreamer(List<String> command, Process process) {
        this.command = command;
        this.process = process;
        this.stdoutReader = Thread.ofPlatform().daemon().name("fault-streamer-stdout").start(this::readStdout);
        this.stderrReader = Thread.ofPlatform().daemon().name("fault-streamer-stderr").start(this::readStderr);
    }

    /** Start {@code bin/streamer stream --status json args...} on this machine. */
    static FaultStreamer stream(String... args) {
        return start(List.of(), args);
    }

    /** Start it inside the network namespace {@code ns} ({@code ip netns exec ns bin/streamer ...}). */
    static FaultStreamer streamIn(String ns, String... args) {
        return start(List.of("ip", "netns", "exec", ns), args);
    }

    private static FaultStreamer start(List<String> prefix, String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(Peers.launcher().toString());
        command.add("stream");
        command.add("--status");
        command.add("json");
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().put("XDG_CONFIG_HOME", CONFIG_HOME.toString());
            FaultStreamer started = new FaultStreamer(command, builder.start());
            started.pid(); // find the JVM now, while it is certainly the process or its child
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private static Path emptyConfigHome() {
        try {
            Path dir = Files.createTempDirectory("streamer-fault-config-home");
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
                    raw.add(new Object[] {now, line});
                }
            }
        } catch (IOException e) {
            // gone
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
            // gone
        }
    }

    /**
     * The JVM's pid: the process itself once the launcher (and {@code ip netns exec}) exec'd it, or
     * its {@code java} child should the launcher of the moment not exec (an image being rebuilt).
     */
    long pid() {
        long known = jvmPid;
        if (known > 0) {
            return known;
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            if (isJava(process.toHandle())) {
                return jvmPid = process.pid();
            }
            java.util.Optional<ProcessHandle> child = process.descendants().filter(FaultStreamer::isJava).findFirst();
            if (child.isPresent()) {
                return jvmPid = child.get().pid();
            }
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                return process.pid();
            }
            Poll.pause(10);
        }
    }

    private static boolean isJava(ProcessHandle handle) {
        return handle.info().command().map(c -> c.endsWith("/java")).orElse(false);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    synchronized List<Event> events() {
        parse();
        return List.copyOf(events);
    }

    /** Parse the lines read since the last call; the caller holds the lock. */
    private void parse() {
        for (; parsed < raw.size(); parsed++) {
            long nanos = (Long) raw.get(parsed)[0];
            String line = (String) raw.get(parsed)[1];
            JsonNode json = null;
            if (line.startsWith("{")) {
                try {
                    json = Snapserver.JSON.readTree(line);
                } catch (JacksonException e) {
                    // kept as a plain line
                }
            }
            if (json != null) {
                events.add(new Event(nanos, json));
            } else {
                plainLines.add(line);
            }
        }
    }

    synchronized String stderr() {
        return stderr.toString();
    }

    List<Event> states() {
        return events().stream().filter(e -> e.event().equals("state")).toList();
    }

    List<Event> statuses() {
        return events().stream().filter(e -> e.event().equals("status")).toList();
    }

    /** The state events {@code state} in order (e.g. every "connecting" = every connection attempt). */
    List<Event> states(String state) {
        return states().stream().filter(e -> e.state().equals(state)).toList();
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
                joinReaders();
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

    /** Wait for the {@code n}-th state event {@code state} (1 = the first). */
    Event awaitState(String state, int n, Duration timeout) {
        return await("state event #" + n + " '" + state + "'", timeout, n,
                e -> e.event().equals("state") && e.state().equals(state));
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

    /** Send a signal ({@code INT}, {@code TERM}, {@code KILL}) to the JVM. */
    void signal(String name) {
        long pid = pid();
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

    /** The longest time between two status snapshots so far, in seconds (the sender is never stuck). */
    double longestStatusGapSeconds() {
        List<Event> s = statuses();
        double longest = 0;
        for (int i = 1; i < s.size(); i++) {
            longest = Math.max(longest, (s.get(i).nanos() - s.get(i - 1).nanos()) / 1e9);
        }
        return longest;
    }

    /** The command, the state events, the last status and stderr, for failure messages. */
    synchronized String diagnostics() {
        parse();
        StringBuilder out = new StringBuilder("command: ").append(String.join(" ", command))
                .append(process.isAlive() ? " (running)" : " (exit " + process.exitValue() + ")").append("\n--- state events ---\n");
        events.stream().filter(e -> e.event().equals("state")).forEach(e -> out.append(e).append('\n'));
        events.stream().filter(e -> e.event().equals("status")).reduce((a, b) -> b)
                .ifPresent(e -> out.append("--- last status ---\n").append(e).append('\n'));
        if (!plainLines.isEmpty()) {
            out.append("--- other stdout ---\n").append(String.join("\n", plainLines)).append('\n');
        }
        return out.append("--- stderr ---\n").append(stderr).toString();
    }

    @Override
    public void close() {
        long jvm = jvmPid;
        Peers.killTree(process);
        if (jvm > 0) {
            ProcessHandle.of(jvm).ifPresent(ProcessHandle::destroyForcibly); // orphaned if the launcher did not exec
        }
        joinReaders();
    }
}
