package dev.streamer.api.spi;

import dev.streamer.api.PcmFormat;

/**
 * A source of interleaved PCM audio, read by one dedicated capture thread.
 *
 * <p>The source is the clock of the whole stream: a device paces by blocking reads, a file or
 * signal paces itself against the monotonic clock. The engine never invents audio.
 *
 * <p>Threading: {@link #open} is called once, before the capture thread starts, so that a device
 * problem is reported before streaming begins; {@link #read} is then called by that one capture
 * thread only. {@link #close} may be called from another thread while {@code read} blocks;
 * {@code read} must then return within a few periods.
 */
public interface Source extends AutoCloseable {

    /**
     * Open the source, preferring {@code preferred}, and return the format it will deliver.
     *
     * <p>A device delivers what it can: the engine converts channels, bit depth, byte order and
     * encoding to the wire format. The sample rate must match the wire format; when the device
     * cannot offer it, fail with a message that lists the rates it has.
     *
     * @param preferred the wire format the engine will send
     * @param periodFrames frames per read the engine will ask for; sizes device buffers
     * @throws SourceException if nothing usable can be opened; the message lists what exists
     */
    PcmFormat open(PcmFormat preferred, int periodFrames) throws SourceException;

    /**
     * Read up to {@code length} bytes of whole frames in the opened format.
     *
     * <p>Blocks for at most about one period. Allocates nothing.
     *
     * @return bytes read (a multiple of the frame size), 0 if no audio arrived in time, or -1 when
     *     the source has ended (end of a file) or was closed
     * @throws SourceException if the device failed or stopped delivering audio; the engine then
     *     stops with a failure (a service manager may restart streamer)
     */
    int read(byte[] buffer, int offset, int length) throws SourceException;

    /**
     * Return the frames the device discarded because they were not read in time, since open.
     *
     * <p>An estimate where the platform does not report losses (Java Sound does not): small losses
     * of a few periods may go uncounted and the figure may lag by about a second. Called from the
     * engine's status thread, which reports the figure and logs new losses: a source need not log
     * them itself.
     */
    default long overrunFrames() {
        return 0;
    }

    /** Return a short description of what is open, e.g. the device name. */
    String describe();

    /** Release the device. Idempotent, bounded in time, safe after a failed {@link #open}. */
    @Override
    void close();
}
