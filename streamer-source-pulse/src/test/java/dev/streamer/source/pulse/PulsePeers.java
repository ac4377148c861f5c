package dev.streamer.source.pulse;

import dev.streamer.testkit.Peers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What the audio peers are for these tests: libpulse loads and a PulseAudio server answers, with
 * the null sink's monitor as its default source ({@link Peers#require} skips or fails without them).
 * Whether a server answers is asked with {@code pactl info}, not with the code under test, so a bug
 * in it cannot turn into a skip.
 */
final class PulsePeers {

    /** The null sink's monitor that setup-audio-peers.sh makes the default source. */
    static final String MONITOR = Objects.requireNonNullElse(System.getenv("AUDIO_PEERS_PULSE_MONITOR"), "ci_sink.monitor");

    private static final Peers.Probe PEERS = new Peers.Probe(PulsePeers::probe);

    private PulsePeers() {
    }

    /** Skip, or fail under {@code peers.required=true}, unless libpulse loads and a server answers {@code pactl info}. */
    static void require() {
        PEERS.require();
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
