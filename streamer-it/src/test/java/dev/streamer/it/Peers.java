package dev.streamer.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The things outside the JVM the end-to-end tests need, and how to run them.
 *
 * <ul>
 *   <li>the jlink image under test ({@code streamer.image}): missing is always a failure, the build
 *       is broken;
 *   <li>the audio peers of {@code /work/shared/tools/setup-audio-peers.sh}: PulseAudio with the null
 *       sink {@value #SINK} (what ALSA {@code default}, and so Java Sound, captures from the monitor
 *       of), snapserver with the TCP source on {@value #SNAP_SOURCE_PORT}, and the command-line tools.
 *       A missing peer skips the test, unless {@code -Dpeers.required=true} (CI), which fails it.
 * </ul>
 */
final class Peers {
    static final String SINK = "ci_sink";
    static final String SNAP_STREAM_ID = "TCP";
    static final int SNAP_SOURCE_PORT = 14953;
    static final int SNAP_HTTP_PORT = 17800;
    static final int SNAP_STREAM_PORT = 17040;
    static final boolean REQUIRED = Boolean.getBoolean("peers.required");

    private Peers() {
    }

    /** Return {@code bin/streamer} of the image; fail (never skip) when it was not built. */
    static Path launcher() {
        String image = System.getProperty("streamer.image");
        if (image == null || image.isBlank()) {
            fail("system property streamer.image is not set: run through Maven (streamer-it's surefire sets it)");
        }
        Path launcher = Path.of(image).resolve("bin").resolve("streamer");
        if (!Files.isExecutable(launcher)) {
            fail("the image under test is missing: no executable " + launcher
                    + "; build it with ./mvnw install -DskipTests (streamer-dist)");
        }
        return launcher;
    }

    /** Skip, or under {@code peers.required=true} fail, because a peer is missing. */
    static void unavailable(String reason) {
        if (REQUIRED) {
            fail("audio peer missing (peers.required=true): " + reason
                    + "; start them with: sudo bash /work/shared/tools/setup-audio-peers.sh start");
        }
        Assumptions.abort("audio peer missing: " + reason + " (set -Dpeers.required=true to fail instead)");
    }

    /** Require these programs on the PATH. */
    static void requireTools(String... names) {
        for (String name : names) {
            if (findOnPath(name) == null) {
                unavailable("'" + name + "' is not on the PATH");
            }
        }
    }

    /** Require the PulseAudio daemon with the null sink {@value #SINK} and its monitor as default source. */
    static void requirePulse() {
        requireTools("pactl", "pacat");
        Result info = tryRun(Duration.ofSeconds(10), "pactl", "info");
        if (info == null || info.exitCode() != 0) {
            unavailable("PulseAudio does not answer 'pactl info'" + (info == null ? "" : ": " + info.stderr().strip()) + pulseLogEnd());
        }
        Result sinks = run(Duration.ofSeconds(10), "pactl", "list", "short", "sinks");
        if (sinks.stdout().lines().noneMatch(line -> line.split("\\s+").length > 1 && line.split("\\s+")[1].equals(SINK))) {
            unavailable("PulseAudio has no sink " + SINK + ": " + sinks.stdout().strip());
        }
        String defaultSource = run(Duration.ofSeconds(10), "pactl", "get-default-source").stdout().strip();
        if (!defaultSource.equals(SINK + ".monitor")) {
            unavailable("PulseAudio's default source is '" + defaultSource + "', not " + SINK + ".monitor");
        }
    }

    /** The last line the peers' PulseAudio logged (an abort says why it is gone), or nothing. */
    private static String pulseLogEnd() {
        Path log = Path.of(System.getenv().getOrDefault("AUDIO_PEERS_DIR", "/run/audio-peers"), "pulse", "pulseaudio.log");
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "" : "; " + log + " ends with: " + lines.getLast();
        } catch (IOException e) {
            return "";
        }
    }

    /** Require snapserver answering JSON-RPC with the TCP source stream. */
    static void requireSnapserver() {
        requireTools("snapclient", "ss");
        try {
            Snapserver.streamStatus(SNAP_STREAM_ID);
        } catch (RuntimeException e) {
            unavailable("snapserver does not answer JSON-RPC on http://127.0.0.1:" + SNAP_HTTP_PORT
                    + "/jsonrpc with stream " + SNAP_STREAM_ID + ": " + e.getMessage());
        }
    }

    /** What a finished command said. */
    record Result(int exitCode, String stdout, String stderr) {
        /** Return stderr's non-blank lines. */
        List<String> stderrLines() {
            return stderr.lines().filter(line -> !line.isBlank()).toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
        }
    }

    /** Run a command to completion; fail if it takes longer than {@code timeout} (it is killed then). */
    static Result run(Duration timeout, String... command) {
        return run(timeout, Map.of(), command);
    }

    static Result run(Duration timeout, Map<String, String> environment, String... command) {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        try {
            Drain out = Drain.start(process.getInputStream());
            Drain err = Drain.start(process.getErrorStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("'" + String.join(" ", command) + "' did not finish within " + timeout + "; stdout: " + out.text()
                        + " stderr: " + err.text());
            }
            out.join();
            err.join();
            return new Result(process.exitValue(), out.text(), err.text());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            killTree(process);
        }
    }

    /** Like {@link #run} but return null when the program cannot be started at all. */
    private static Result tryRun(Duration timeout, String... command) {
        try {
            return run(timeout, command);
        } catch (UncheckedIOException | AssertionError e) {
            return null; // cannot start, or hangs: the peer is not usable
        }
    }

    /** Return the bytes of {@code file}, or none while it does not exist yet (a player's output, a log). */
    static byte[] readIfExists(Path file) {
        try {
            return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kill a process and everything it started, at once. */
    static void killTree(Process process) {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Path findOnPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name);
            }
        }
        return null;
    }

    /** Reads a stream to its end on a virtual thread. */
    static final class Drain {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Thread thread;

        static Drain start(InputStream in) {
            Drain drain = new Drain();
            drain.thread = Thread.ofVirtual().start(() -> {
                byte[] buffer = new byte[8192];
                try (in) {
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        synchronized (drain.bytes) {
                            drain.bytes.write(buffer, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // the process is gone
                }
            });
            return drain;
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }

        void join() throws InterruptedException {
            thread.join(Duration.ofSeconds(5));
        }
    }
}
