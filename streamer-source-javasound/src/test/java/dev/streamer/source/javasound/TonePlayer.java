package dev.streamer.source.javasound;

import dev.streamer.testkit.Signals;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;

/**
 * Plays a continuous sine at -6 dBFS through Java Sound's default playback line, which here goes to
 * the PulseAudio null sink whose monitor the default capture line records.
 */
final class TonePlayer implements AutoCloseable {

    private final double frequency;
    private final SourceDataLine line;
    private final Thread thread;
    private volatile boolean running = true;

    private TonePlayer(double frequency) throws LineUnavailableException {
        this.frequency = frequency;
        line = AudioSystem.getSourceDataLine(AudioPeers.CD_STEREO_48K);
        // a second of buffer: a small one underruns on a busy machine and the sink then plays silence
        line.open(AudioPeers.CD_STEREO_48K, 48_000 * 4);
        line.start();
        thread = Thread.ofPlatform().name("tone-" + frequency).daemon().start(() -> play(frequency));
    }

    /** Start playing and give the sound server a moment, so the capture hears the tone from the start. */
    static TonePlayer start(double frequency) throws Exception {
        TonePlayer player = new TonePlayer(frequency);
        Thread.sleep(500);
        return player;
    }

    /** Return the frequency played, in Hz. */
    int frequency() {
        return (int) frequency;
    }

    private void play(double frequency) {
        byte[] chunk = new byte[480 * 4]; // 10 ms
        long frame = 0;
        while (running) {
            frame = Signals.sine(chunk, frequency, frame);
            line.write(chunk, 0, chunk.length);
        }
    }

    @Override
    public void close() {
        running = false;
        line.stop();
        line.flush();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        line.close();
    }
}
