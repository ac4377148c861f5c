package dev.streamer.api.spi;

import java.nio.ByteBuffer;
import java.util.List;

/** An open path to a receiver. Written by the sender thread only. */
public interface Link extends AutoCloseable {

    /**
     * Write all remaining bytes of {@code chunk}.
     *
     * <p>Bounded by the transport's write timeout: a receiver that stops reading makes this throw
     * {@link TransportException.Kind#WRITE_TIMEOUT} within that bound. Allocates nothing.
     *
     * @throws TransportException with the kind of failure; the link is then unusable and has
     *     released its connection, so a following {@link #close()} is cheap
     */
    void write(ByteBuffer chunk) throws TransportException;

    /** Return the remote end, e.g. {@code 127.0.0.1:4953}. */
    String peer();

    /** Return the settings the link actually got, as read back from the operating system. */
    List<String> appliedOptions();

    /**
     * Return what the operating system knows about the connection now, or {@link LinkHealth#UNKNOWN}.
     * Called about once a second from a thread other than the writer; must not block.
     */
    default LinkHealth health() {
        return LinkHealth.UNKNOWN;
    }

    /**
     * Close gracefully: send FIN, give the peer a short bounded time, then release.
     * Idempotent; may be called from another thread to abort a blocked write.
     */
    @Override
    void close();
}
