package dev.streamer.api.spi;

import dev.streamer.api.PcmFormat;

/**
 * A configured way to reach a receiver. The engine calls {@link #open} to get a {@link Link},
 * writes audio to it until it fails, closes it, and decides when to open the next one.
 */
public interface Transport extends AutoCloseable {

    /** Return where audio goes, for status lines and logs, e.g. {@code tcp://127.0.0.1:4953}. */
    String target();

    /**
     * Open a link: connect to the receiver, or start listening for receivers.
     *
     * <p>Bounded by the transport's connect timeout. Called only from the sender thread;
     * {@link #close()} from another thread aborts an open in progress.
     *
     * @param format the wire format of every byte written to the link
     * @throws TransportException with the kind of failure
     */
    Link open(PcmFormat format) throws TransportException;

    /** Release whatever the transport holds beyond its links. Idempotent and bounded. */
    @Override
    void close();
}
