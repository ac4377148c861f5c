package dev.streamer.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Plays raw PCM (s16le, 48 kHz, stereo) into the null sink {@value Peers#SINK} with {@code pacat}:
 * once, or looped until closed. What is played there is what the default source (the sink's monitor)
 * captures, and so what streamer's Java Sound source reads from ALSA {@code default}.
 *
 * <p>pacat keeps its default buffer (about 2 s): a small one underruns on a busy machine, and
 * PulseAudio then fills the gap with silence, which would look like audio lost by streamer.
 */
final class PulsePlayer implements AutoCloseable {
    static final int RATE = 48_000;
    static final int CHANNELS = 2;
    static final int FRAME_BYTES = 4;

    private final Process pacat;
    private final Thread feeder;
    private final Peers.Drain stderr;
    private volatile boolean stopped;
    private volatile IOException feedFailure;

    private PulsePlayer(byte[] pcm, boolean loop) {
        try {
            pacat = dev.streamer.testkit.Peers.withoutSharedMemory(new ProcessBuilder("pacat", "--playback", "--raw", "--format=s16le",
                    "--rate=" + RATE, "--channels=" + CHANNELS, "-d", Peers.SINK, "--client-name=streamer-it",
                    "--stream-name=streamer-it-" + (loop ? "loop" : "once")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start pacat", e);
        }
        SinkWatch.OWN_PIDS.add(pacat.pid());
        stderr = Peers.Drain.start(pacat.getErrorStream());
        feeder = Thread.ofPlatform().name("pacat-feeder").daemon().start(() -> feed(pcm, loop));
    }

    /** Loop {@code pcm} (a whole number of periods, so that it joins seamlessly) until {@link #close()}. */
    static PulsePlayer loop(byte[] pcm) {
        return new PulsePlayer(pcm, true);
    }

    /** Play {@code pcm} once; {@link #awaitDone} waits until pacat has drained it into the sink. */
    static PulsePlayer once(byte[] pcm) {
        return new PulsePlayer(pcm, false);
    }

    /** A sine of {@code hz} at {@code dbfs} on both channels, made by sox: 10 s, whole periods for any whole {@code hz}. */
    static byte[] sine(int hz, int dbfs) {
        try {
            Process sox = new ProcessBuilder("sox", "-D", "-n", "-r", Integer.toString(RATE), "-b", "16", "-c", Integer.toString(CHANNELS),
                    "-e", "signed-integer", "-L", "-t", "raw", "-", "synth", "10", "sine", Integer.toString(hz), "gain", Integer.toString(dbfs))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] pcm = sox.getInputStream().readAllBytes();
            if (!sox.waitFor(30, TimeUnit.SECONDS) || sox.exitValue() != 0 || pcm.length != 10 * RATE * FRAME_BYTES) {
                fail("sox could not make a " + hz + " Hz tone: " + pcm.length + " bytes");
            }
            return pcm;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void feed(byte[] pcm, boolean loop) {
        try (OutputStream in = pacat.getOutputStream()) {
            do {
                // pacat takes stdin only as fast as it plays (plus its small buffer): real-time pacing
                for (int off = 0; off < pcm.length && !stopped; off += 19_200) {
                    in.write(pcm, off, Math.min(19_200, pcm.length - off));
                }
            } while (loop && !stopped);
        } catch (IOException e) {
            if (!stopped) {
                feedFailure = e;
            }
        }
    }

    /** Wait until a {@link #once} player has played everything and pacat exited 0. */
    void awaitDone(Duration timeout) {
        try {
            if (!pacat.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("pacat did not finish playing within " + timeout + "; stderr: " + stderr.text());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (pacat.exitValue() != 0 || feedFailure != null) {
            fail("pacat failed (exit " + pacat.exitValue() + ", feed " + feedFailure + "): " + stderr.text());
        }
    }

    /** Fail if pacat is gone, e.g. because PulseAudio refused the stream. */
    void assertPlaying() {
        if (!pacat.isAlive()) {
            fail("pacat exited (" + pacat.exitValue() + "): " + stderr.text());
        }
    }

    @Override
    public void close() {
        stopped = true;
        Peers.killTree(pacat);
        try {
            feeder.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
