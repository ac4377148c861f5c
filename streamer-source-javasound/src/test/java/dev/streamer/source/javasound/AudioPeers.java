package dev.streamer.source.javasound;

import dev.streamer.testkit.Peers;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;

/**
 * What the audio peers are for these tests: Java Sound can capture and play here
 * ({@link Peers#require} skips or fails without them).
 */
final class AudioPeers {

    static final AudioFormat CD_STEREO_48K = new AudioFormat(48_000, 16, 2, true, false);

    private static final Peers.Probe PEERS = new Peers.Probe(AudioPeers::probe);

    private AudioPeers() {
    }

    /** Skip, or fail under {@code peers.required=true}, unless a capture and a playback line open. */
    static void require() {
        PEERS.require();
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
