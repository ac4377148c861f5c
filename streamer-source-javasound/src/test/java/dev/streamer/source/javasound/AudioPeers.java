package dev.streamer.source.javasound;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for tests that need real audio: skip with the reason when Java Sound cannot capture
 * and play here, but fail when the build says the peers are required ({@code -Dpeers.required=true},
 * as CI sets it), so that a broken CI machine cannot pass by skipping.
 */
final class AudioPeers {

    static final AudioFormat CD_STEREO_48K = new AudioFormat(48_000, 16, 2, true, false);
    private static final String HOW_TO_START = "start them with: bash /work/shared/tools/setup-audio-peers.sh start";

    private static volatile String missing;
    private static volatile boolean probed;

    private AudioPeers() {
    }

    /** Skip, or fail under {@code peers.required=true}, unless a capture and a playback line open. */
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
     * builds on a shared machine; CI runs one build at a time). Wait until no other process plays,
     * run, and if the test fails while another process was playing, try again (three attempts).
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
                System.getLogger(AudioPeers.class.getName()).log(System.Logger.Level.INFO,
                        "retrying: other processes played into the sink meanwhile: " + seen);
            } finally {
                watcher.interrupt();
                watcher.join();
            }
        }
    }

    /** Return the PulseAudio playback streams of other processes, e.g. {@code pacat (pid 42)}; empty if none or unknown. */
    static List<String> otherPlayers() {
        List<String> players = new ArrayList<>();
        try {
            Process pactl = new ProcessBuilder("pactl", "list", "sink-inputs").redirectErrorStream(true).start();
            String out = new String(pactl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!pactl.waitFor(5, TimeUnit.SECONDS)) {
                pactl.destroyForcibly();
                return players;
            }
            String me = Long.toString(ProcessHandle.current().pid());
            for (String block : out.split("Sink Input #")) {
                String pid = property(block, "application.process.id");
                if (pid != null && !pid.equals(me)) {
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
        try {
            TargetDataLine capture = AudioSystem.getTargetDataLine(CD_STEREO_48K);
            capture.open(CD_STEREO_48K, 3840);
            capture.close();
            SourceDataLine playback = AudioSystem.getSourceDataLine(CD_STEREO_48K);
            playback.open(CD_STEREO_48K, 9600);
            playback.close();
            return null;
        } catch (IllegalArgumentException e) {
            return "Java Sound has no line for " + CD_STEREO_48K + ": " + e.getMessage();
        } catch (LineUnavailableException | RuntimeException | LinkageError e) {
            return "Java Sound could not open a line: " + e;
        }
    }
}
