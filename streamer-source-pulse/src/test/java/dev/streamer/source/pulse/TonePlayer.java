package dev.streamer.source.pulse;

import dev.streamer.testkit.Peers;
import dev.streamer.testkit.Signals;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * Plays a continuous sine at -6 dBFS with {@code pacat} into the default sink, the null sink whose
 * monitor is the default source. pacat blocks while its buffer is full, so the server paces it.
 */
final class TonePlayer implements AutoCloseable {

    private final int frequency;
    private final Process pacat;
    private final Thread thread;
    private volatile boolean running = true;

    private TonePlayer(int frequency) throws IOException {
        this.frequency = frequency;
        pacat = Peers.withoutSharedMemory(new ProcessBuilder("pacat", "--playback", "--raw", "--format=s16le", "--rate=48000", "--channels=2",
                "--latency-msec=200", "--client-name=streamer-pulse-test-tone"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        thread = Thread.ofPlatform().name("tone-" + frequency).daemon().start(this::play);
    }

    /** Start playing and give the sound server a moment, so the capture hears the tone from the start. */
    static TonePlayer start(int frequency) throws Exception {
        TonePlayer player = new TonePlayer(frequency);
        Thread.sleep(500);
        if (!player.pacat.isAlive()) {
            throw new IllegalStateException("pacat exited with " + player.pacat.exitValue());
        }
        return player;
    }

    int frequency() {
        return frequency;
    }

    private void play() {
        byte[] chunk = new byte[480 * 4]; // 10 ms
        long frame = 0;
        try (OutputStream out = pacat.getOutputStream()) {
            while (running) {
                frame = Signals.sine(chunk, frequency, frame);
                out.write(chunk);
            }
        } catch (IOException e) {
            // pacat ended: close() was called, or it failed and the test's tone check says so
        }
    }

    @Override
    public void close() {
        running = false;
        pacat.destroy();
        try {
            if (!pacat.waitFor(2, TimeUnit.SECONDS)) {
                pacat.destroyForcibly();
            }
            thread.join(2_000);
        } catch (InterruptedException e) {
            pacat.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
