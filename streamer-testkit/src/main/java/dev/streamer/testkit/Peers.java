package dev.streamer.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for tests that need the real audio peers: skip with the reason when they are missing
 * here, but fail when the build says they are required ({@code -Dpeers.required=true}, as CI sets
 * it), so that a broken CI machine cannot pass by skipping. Each plugin's tests say what "missing"
 * means for them (a Java Sound line, a PulseAudio server) and ask it of something other than the
 * code under test, so that a bug in that code cannot turn into a skip.
 */
public final class Peers {

    private static final String HOW_TO_START = "start them with: bash /work/shared/tools/setup-audio-peers.sh start";

    private Peers() {
    }

    /** Skip, or fail under {@code peers.required=true}, if {@code missing} says why the peers cannot be used. */
    public static void require(String missing) {
        if (missing == null) {
            return;
        }
        if (Boolean.getBoolean("peers.required")) {
            fail("peers.required=true but the audio peers are missing: " + missing + "; " + HOW_TO_START);
        }
        Assumptions.assumeTrue(false, "audio peers missing (" + missing + "); " + HOW_TO_START);
    }

    /**
     * A plugin's answer to "are the peers here?": {@code probe} says why they are missing (null if
     * they are not), asked once, on the first test that needs them; every later test gets the same.
     */
    public static final class Probe {
        private final Supplier<String> probe;
        private boolean probed;
        private String missing;

        public Probe(Supplier<String> probe) {
            this.probe = probe;
        }

        /** Skip, or fail under {@code peers.required=true}, if the probe found the peers missing. */
        public synchronized void require() {
            if (!probed) {
                missing = probe.get();
                probed = true;
            }
            Peers.require(missing);
        }
    }

    /**
     * Make the PulseAudio client that {@code player} starts send its audio over the socket, not in
     * shared memory. PulseAudio 16 aborts at random ("Assertion 'pa_atomic_load(&b->pool->stat.n_imported)
     * > 0' failed" in memblock.c) when a client that shares memory disconnects while a recording
     * stream still holds its blocks, and tests stop their players in mid-play; a copied block is the
     * server's own and cannot trip it.
     */
    public static ProcessBuilder withoutSharedMemory(ProcessBuilder player) {
        player.environment().put("PULSE_MEMPOOL_DISABLE", "1");
        return player;
    }

    /** A test body that may throw anything. */
    @FunctionalInterface
    public interface Attempt {
        void run() throws Exception;
    }

    /**
     * Run a test that listens to what it plays, on a sink other processes may play into too (other
     * builds on a shared machine; CI runs one build at a time). Wait until no other process plays,
     * run, and if the test fails while another process was playing, try again (three attempts).
     */
    public static void withQuietSink(Attempt attempt) throws Exception {
        for (int tries = 1; ; tries++) {
            long quietBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!otherPlayers().isEmpty() && System.nanoTime() < quietBy) {
                Thread.sleep(250);
            }
            Set<String> seen = new ConcurrentSkipListSet<>(otherPlayers());
            Thread watcher = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    seen.addAll(otherPlayers());
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            try {
                attempt.run();
                return;
            } catch (AssertionError e) {
                if (seen.isEmpty()) {
                    throw e;
                }
                if (tries == 3) {
                    if (Boolean.getBoolean("peers.required")) {
                        throw new AssertionError("other processes kept playing into the sink: " + seen, e);
                    }
                    Assumptions.abort("other processes kept playing into the sink: " + seen + "; last failure: " + e.getMessage());
                }
                System.getLogger(Peers.class.getName()).log(System.Logger.Level.INFO,
                        "retrying: other processes played into the sink meanwhile: " + seen);
            } finally {
                watcher.interrupt();
                watcher.join();
            }
        }
    }

    /**
     * Return the PulseAudio playback streams of processes other than this JVM and its children (a
     * test's own pacat), e.g. {@code paplay (pid 42)}; empty if none or unknown.
     */
    public static List<String> otherPlayers() {
        List<String> players = new ArrayList<>();
        Set<String> ours = ProcessHandle.current().descendants().map(p -> Long.toString(p.pid())).collect(Collectors.toSet());
        ours.add(Long.toString(ProcessHandle.current().pid()));
        try {
            Process pactl = new ProcessBuilder("pactl", "list", "sink-inputs").redirectErrorStream(true).start();
            String out = new String(pactl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!pactl.waitFor(5, TimeUnit.SECONDS)) {
                pactl.destroyForcibly();
                return players;
            }
            for (String block : out.split("Sink Input #")) {
                String pid = property(block, "application.process.id");
                if (pid != null && !ours.contains(pid)) {
                    players.add(property(block, "application.name") + " (pid " + pid + ")");
                }
            }
        } catch (IOException e) {
            // no pactl: nothing to tell
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return players;
    }

    private static String property(String block, String key) {
        for (String line : block.split("\n")) {
            String t = line.strip();
            if (t.startsWith(key + " = \"")) {
                return t.substring(key.length() + 4, t.length() - 1);
            }
        }
        return null;
    }
}
