package dev.streamer.api.spi;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * An open path to a receiver. Written by one thread at a time: the engine's sender, or, on a link
 * that {@link #writesWithoutWaiting() writes without waiting}, its capture thread, which then
 * sends each chunk as soon as it is read instead of waking the sender for it.
 */
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

    /**
     * Return whether {@link #writeNow} is supported. The default is false: the engine then writes
     * with {@link #write} only, from its sender thread.
     */
    default boolean writesWithoutWaiting() {
        return false;
    }

    /**
     * Write what the connection takes at once, without waiting for the receiver: all of
     * {@code chunk}, part of it or nothing (its position tells), never blocking. The engine finishes
     * a part with {@link #write}. Allocates nothing.
     *
     * @throws TransportException as {@link #write} does, except for a timeout
     * @throws UnsupportedOperationException if {@link #writesWithoutWaiting()} is false
     */
    default void writeNow(ByteBuffer chunk) throws TransportException {
        throw new UnsupportedOperationException(getClass().getName() + " cannot write without waiting");
    }

    /** Return the remote end, e.g. {@code 127.0.0.1:4953}. */
    String peer();

    /**
     * Say what streaming over this link is, for the log and the status when it starts: by default
     * {@code connected to 127.0.0.1:4953}; a link that serves receivers says where it listens.
     */
    default String streamingDetail() {
        return "connected to " + peer();
    }

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
