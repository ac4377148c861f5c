package dev.streamer.source.javasound;

import java.util.function.LongSupplier;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.Control;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineListener;
import javax.sound.sampled.TargetDataLine;

/**
 * A capture line driven by a clock, to test what real devices here cannot show on demand.
 *
 * <p>Frames arrive in fragments of {@code fragmentFrames}, as a sound server delivers them, into a
 * queue: the first {@code bufferFrames} are the line's buffer ({@code available()}), up to
 * {@code upstreamFrames} more wait in the sound server (PulseAudio keeps ~20 s; a hardware device
 * keeps nothing), and whatever does not fit is discarded. Like the JDK's lines, the position is
 * frames read plus {@code available()}. {@link #read} never blocks. Allocates nothing.
 */
final class SimulatedLine implements TargetDataLine {

    private final AudioFormat format;
    private final int frameSize;
    private final int rate;
    private final long bufferFrames;
    private final long upstreamFrames;
    private final long fragmentFrames;
    private final LongSupplier clock;

    private long startNanos;
    private boolean open;
    private boolean running;
    private long producedBeforePause;
    private long pausedAtNanos = -1;
    private long pausedNanos;
    private long consumed;
    private long discarded;

    SimulatedLine(AudioFormat format, long bufferFrames, long upstreamFrames, long fragmentFrames, LongSupplier clock) {
        this.format = format;
        this.frameSize = format.getFrameSize();
        this.rate = Math.round(format.getSampleRate());
        this.bufferFrames = bufferFrames;
        this.upstreamFrames = upstreamFrames;
        this.fragmentFrames = fragmentFrames;
        this.clock = clock;
    }

    /** Stop producing, as a device that was suspended; {@link #resume} continues. */
    synchronized void pause() {
        pausedAtNanos = clock.getAsLong();
    }

    synchronized void resume() {
        pausedNanos += clock.getAsLong() - pausedAtNanos;
        pausedAtNanos = -1;
    }

    synchronized long discardedFrames() {
        update();
        return discarded;
    }

    synchronized long consumedFrames() {
        return consumed;
    }

    private long produced() {
        if (!running) {
            return producedBeforePause;
        }
        long now = pausedAtNanos >= 0 ? pausedAtNanos : clock.getAsLong();
        long nanos = now - startNanos - pausedNanos;
        long frames = nanos / 1_000_000_000L * rate + nanos % 1_000_000_000L * rate / 1_000_000_000L;
        return frames / fragmentFrames * fragmentFrames;
    }

    private long queued() {
        update();
        return produced() - consumed - discarded;
    }

    private void update() {
        long queue = produced() - consumed - discarded;
        long capacity = bufferFrames + upstreamFrames;
        if (queue > capacity) {
            discarded += queue - capacity;
        }
    }

    @Override
    public synchronized int available() {
        return open ? (int) Math.min(queued(), bufferFrames) * frameSize : 0;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
        if (!open) {
            return 0;
        }
        long frames = Math.min(len / frameSize, Math.min(queued(), bufferFrames));
        consumed += frames;
        for (int i = off; i < off + frames * frameSize; i++) {
            b[i] = 0;
        }
        return (int) frames * frameSize;
    }

    @Override
    public synchronized void open(AudioFormat f, int bufferSize) {
        open = true;
    }

    @Override
    public synchronized void open(AudioFormat f) {
        open = true;
    }

    @Override
    public synchronized void open() {
        open = true;
    }

    @Override
    public synchronized void start() {
        startNanos = clock.getAsLong();
        running = true;
    }

    @Override
    public synchronized void stop() {
        producedBeforePause = produced();
        running = false;
    }

    @Override
    public synchronized void flush() {
        consumed = produced() - discarded;
    }

    @Override
    public synchronized void close() {
        open = false;
        running = false;
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    @Override
    public synchronized boolean isActive() {
        return running;
    }

    @Override
    public void drain() {
    }

    @Override
    public AudioFormat getFormat() {
        return format;
    }

    @Override
    public int getBufferSize() {
        return (int) bufferFrames * frameSize;
    }

    @Override
    public int getFramePosition() {
        return (int) getLongFramePosition();
    }

    @Override
    public synchronized long getLongFramePosition() {
        return consumed + available() / frameSize;
    }

    @Override
    public long getMicrosecondPosition() {
        return getLongFramePosition() * 1_000_000L / rate;
    }

    @Override
    public float getLevel() {
        return AudioSystem.NOT_SPECIFIED;
    }

    @Override
    public DataLine.Info getLineInfo() {
        return new DataLine.Info(TargetDataLine.class, format);
    }

    @Override
    public Control[] getControls() {
        return new Control[0];
    }

    @Override
    public boolean isControlSupported(Control.Type control) {
        return false;
    }

    @Override
    public Control getControl(Control.Type control) {
        throw new IllegalArgumentException("no controls");
    }

    @Override
    public void addLineListener(LineListener listener) {
    }

    @Override
    public void removeLineListener(LineListener listener) {
    }
}
