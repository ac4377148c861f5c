package dev.streamer.source.javasound;

/**
 * Counts the frames a capture device discarded because they were not read in time.
 *
 * <p>Why not {@code TargetDataLine.getLongFramePosition()}: every JDK backend (ALSA, DirectSound,
 * Core Audio) computes a capture line's position as the bytes read so far plus {@code available()},
 * so comparing it with frames delivered plus buffered is always zero; discarded frames never show.
 *
 * <p>Instead the meter compares what the clock says the device produced since start with what was
 * delivered plus what is still buffered. That difference (the deficit) also holds audio that is
 * merely late: PulseAudio, behind ALSA's {@code default}, keeps up to ~20 s for a slow reader and
 * hands it over in a burst afterwards. So:
 * <ul>
 * <li>the deficit is sampled only when a read had to wait for data (nothing much is queued);
 * <li>a full device buffer marks a possible overrun; one second after the buffer was last seen
 *     full (the burst is over), the rise of the deficit since before the overrun is counted;
 * <li>without a full buffer a rise is a device that paused, not an overrun, and each sample
 *     becomes the new reference, so drift between the device clock and {@code nanoTime} never
 *     accumulates;
 * <li>rises below a tolerance (a few ms of delivery jitter) are ignored.
 * </ul>
 *
 * <p>Used by the capture thread only; {@link #overrunFrames()} may be read from any thread.
 */
final class OverrunMeter {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int TOLERANCE_MILLIS = 25;
    static final long SETTLE_NANOS = NANOS_PER_SECOND;

    private final int sampleRate;
    private final long fullFrames;
    private final long toleranceFrames;

    private long startNanos;
    private long referenceDeficit;
    private boolean settling;
    private long lastFullNanos;
    private volatile long overrunFrames;

    /**
     * @param sampleRate frames per second
     * @param periodFrames frames per read
     * @param bufferFrames the device buffer actually granted
     */
    OverrunMeter(int sampleRate, int periodFrames, int bufferFrames) {
        this.sampleRate = sampleRate;
        this.fullFrames = bufferFrames - bufferFrames / 8;
        this.toleranceFrames = Math.max(2L * periodFrames, (long) sampleRate * TOLERANCE_MILLIS / 1000);
    }

    /** Start the clock: the device starts capturing now, with nothing delivered or buffered. */
    void start(long nowNanos) {
        startNanos = nowNanos;
        referenceDeficit = 0;
        settling = false;
    }

    /**
     * Feed one consistent snapshot, taken before a read.
     *
     * @param deliveredFrames frames returned to the engine so far
     * @param bufferedFrames frames the line holds now ({@code available()})
     * @param nowNanos when {@code bufferedFrames} was taken
     * @param drained whether fewer frames than one read were buffered, so the read must wait
     * @return frames newly counted as discarded, usually 0
     */
    long update(long deliveredFrames, long bufferedFrames, long nowNanos, boolean drained) {
        if (bufferedFrames >= fullFrames) {
            settling = true;
            lastFullNanos = nowNanos;
        }
        if (!drained) {
            return 0;
        }
        long deficit = framesIn(nowNanos - startNanos) - deliveredFrames - bufferedFrames;
        if (!settling) {
            referenceDeficit = deficit;
            return 0;
        }
        if (nowNanos - lastFullNanos < SETTLE_NANOS) {
            return 0; // a burst of queued audio may still be on its way
        }
        settling = false;
        long rise = deficit - referenceDeficit;
        referenceDeficit = deficit;
        if (rise <= toleranceFrames) {
            return 0;
        }
        overrunFrames += rise;
        return rise;
    }

    /** Return the frames counted as discarded since {@link #start}. */
    long overrunFrames() {
        return overrunFrames;
    }

    /** Return the smallest loss that is counted; smaller ones are indistinguishable from jitter. */
    long toleranceFrames() {
        return toleranceFrames;
    }

    private long framesIn(long nanos) {
        // split to avoid overflow: nanos * rate overflows a long after about 3 hours at 768 kHz
        return nanos / NANOS_PER_SECOND * sampleRate + nanos % NANOS_PER_SECOND * sampleRate / NANOS_PER_SECOND;
    }
}
