package dev.streamer.source.pulse;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for tests that need a real PulseAudio server: skip with the reason when none answers
 * here, but fail when the build says the peers are required ({@code -Dpeers.required=true}, as CI
 * sets it), so that a broken CI machine cannot pass by skipping. Whether a server answers is asked
 * with {@code pactl info}, not with the code under test, so a bug in it cannot turn into a skip.
 */
final class PulsePeers {

    private static final String HOW_TO_START = "start them with: bash /work/shared/tools/setup-audio-peers.sh start";

    /** The null sink's monitor that setup-audio-peers.sh makes the default source. */
    static final String MONITOR = Objects.requireNonNullElse(System.getenv("AUDIO_PEERS_PULSE_MONITOR"), "ci_sink.monitor");

    private static volatile String missing;
    private static volatile boolean probed;

    private PulsePeers() {
    }

    /** Skip, or fail under {@code peers.required=true}, unless libpulse loads and a server answers {@code pactl info}. */
    static void require() {
        String why = missing();
        if (why == null) {
            return;
        }
        if (Boolean.getBoolean("peers.required")) {
            fail("peers.required=true but the audio peers are missing: " + why + "; " + HOW_TO_START);
        }
        Assumptions.assumeTrue(false, "audio peers missing (" + why + "); " + HOW_TO_START);
    }

    /** A test body that may throw anything. */
    @FunctionalInterface
    interface Attempt {
        void run() throws Exception;
    }

    /**
     * Run a test that listens to what it plays, on a sink other processes may play into too (other
     * builds on a shared machine). Wait until no other process plays, run, and if the test fails
     * while another process was playing, try again (three attempts).
     */
    static void withQuietSink(Attempt attempt) throws Exception {
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
                System.getLogger(PulsePeers.class.getName()).log(System.Logger.Level.INFO,
                        "retrying: other processes played into the sink meanwhile: " + seen);
            } finally {
                watcher.interrupt();
                watcher.join();
            }
        }
    }

    /** Return the playback streams of processes other than this JVM and its children (our pacat), e.g. {@code paplay (pid 42)}. */
    static List<String> otherPlayers() {
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

    private static synchronized String missing() {
        if (!probed) {
            missing = probe();
            probed = true;
        }
        return missing;
    }

    private static String probe() {
        if (LibPulse.problem() != null) {
            return LibPulse.problem();
        }
        try {
            Process pactl = new ProcessBuilder("pactl", "info").redirectErrorStream(true).start();
            String out = new String(pactl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!pactl.waitFor(10, TimeUnit.SECONDS)) {
                pactl.destroyForcibly();
                return "pactl info did not answer within 10 s";
            }
            if (pactl.exitValue() != 0) {
                return "no PulseAudio server answers pactl info: " + out.strip();
            }
            if (!out.contains("Default Source: " + MONITOR)) {
                return "the default source is not " + MONITOR + ": " + out.strip();
            }
            return null;
        } catch (IOException e) {
            return "pactl cannot run (" + e.getMessage() + "); install pulseaudio-utils";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
