package dev.streamer.transport.tcp;

import dev.streamer.api.spi.Link;
import dev.streamer.api.spi.LinkHealth;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.TransportException;
import dev.streamer.api.spi.TransportException.Kind;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A connected, non-blocking socket and the selector its writes wait on.
 *
 * <p>Java has no {@code SO_SNDTIMEO}: a blocking write to a receiver that stopped reading blocks
 * until the connection dies. So the channel is non-blocking, and a write that cannot progress
 * waits on the selector until an absolute deadline.
 */
final class TcpLink implements Link {

    /** How long a graceful close waits for the receiver to answer our FIN with its own. */
    static final long PEER_EOF_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final String target;
    private final String peer;
    private final List<String> appliedOptions;
    private final int writeTimeoutMillis;
    private final long writeTimeoutNanos;
    private final LongSupplier nanoClock;
    private final System.Logger logger;
    /** The kernel's view of the connection, read by the status thread through {@link #health()}. */
    private final TcpInfo tcpInfo;

    /** Passed by a write and by the release of the socket, so that close() never closes under a write. */
    private final WriteGate gate = new WriteGate();
    /** Set by close(), read by a write blocked in select() after close() woke it. */
    private volatile boolean closeRequested;
    /** Whether the socket is gone; owned by whoever is inside the {@link #gate}. */
    private boolean released;
    // Whether the last write found the kernel buffer full (read by close() when TCP_INFO is unknown).
    private volatile boolean lastWriteStalled;

    TcpLink(SocketChannel channel, Selector selector, SelectionKey key, String target, String peer,
            List<String> appliedOptions, int writeTimeoutMillis, PluginContext context) {
        this.channel = channel;
        this.selector = selector;
        this.key = key;
        this.target = target;
        this.peer = peer;
        this.appliedOptions = appliedOptions;
        this.writeTimeoutMillis = writeTimeoutMillis;
        this.writeTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(writeTimeoutMillis);
        this.nanoClock = context.nanoClock();
        this.logger = context.logger();
        // Prepared by the status thread's first health(), a second after the connection: linking the
        // downcalls takes 60-70 ms of CPU, which at start-up competed with the first chunk's way out.
        this.tcpInfo = TcpInfo.of(channel, target, logger);
    }

    @Override
    public void write(ByteBuffer chunk) throws TransportException {
        write(chunk, true);
    }

    @Override
    public boolean writesWithoutWaiting() {
        return true;
    }

    @Override
    public void writeNow(ByteBuffer chunk) throws TransportException {
        write(chunk, false);
    }

    /** Write until the chunk is sent or, if the kernel buffer is full, wait up to the timeout or ({@code !wait}) return. */
    private void write(ByteBuffer chunk, boolean wait) throws TransportException {
        if (!gate.enter()) {
            throw closedLocally();
        }
        try {
            if (released || closeRequested) {
                throw closedLocally();
            }
            long deadline = 0;
            boolean stalled = false;
            while (chunk.hasRemaining()) {
                if (channel.write(chunk) > 0) {
                    continue;
                }
                if (!wait) {
                    return; // the engine writes the rest with write()
                }
                // The kernel buffer is full. The deadline covers the whole chunk, so a receiver
                // that reads a trickle cannot stretch one write beyond the timeout.
                long now = nanoClock.getAsLong();
                if (!stalled) {
                    stalled = true;
                    lastWriteStalled = true;
                    deadline = now + writeTimeoutNanos;
                }
                long left = deadline - now;
                if (left <= 0) {
                    throw failed(Kind.WRITE_TIMEOUT, "receiver at " + peer + " stopped reading: nothing could be sent for "
                            + writeTimeoutMillis + " ms", null);
                }
                // The consumer form of select() leaves the selected-key set alone: no iterator, no garbage.
                selector.select(TcpLink::ignoreReadyKey, ceilMillis(left));
                if (closeRequested) {
                    throw closedLocally();
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw failed(Kind.OTHER, "write to " + peer + " interrupted", null);
                }
            }
            lastWriteStalled = false;
        } catch (IOException e) {
            Kind kind = FailureClassifier.duringWrite(e);
            throw failed(kind, switch (kind) {
                case CLOSED_BY_PEER -> "receiver at " + peer + " closed the connection";
                case RESET -> "receiver at " + peer + " reset the connection";
                case UNREACHABLE -> "receiver at " + peer + " is unreachable (" + e.getMessage() + ")";
                default -> "write to " + peer + " failed: " + e.getMessage();
            }, e);
        } finally {
            gate.leave();
        }
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public List<String> appliedOptions() {
        return appliedOptions;
    }

    /** Return TCP_INFO of the socket (Linux), else {@link LinkHealth#UNKNOWN}; never blocks on a write. */
    @Override
    public LinkHealth health() {
        return tcpInfo.read();
    }

    @Override
    public void close() {
        closeRequested = true;
        selector.wakeup(); // a write blocked in select() returns now and leaves the gate
        if (gate.close()) {
            release(false);
        }
    }

    /** Release the socket and return the exception that says why; the link is unusable after a failure. */
    private TransportException failed(Kind kind, String detail, Throwable cause) {
        release(kind == Kind.WRITE_TIMEOUT);
        return new TransportException(kind, target + ": " + detail, cause);
    }

    private TransportException closedLocally() {
        return new TransportException(Kind.OTHER, target + ": the link to " + peer + " was closed");
    }

    /** Close the socket once; the caller is inside the {@link #gate}. */
    private void release(boolean abortive) {
        if (released) {
            return;
        }
        released = true;
        try {
            if (abortive) {
                // The receiver stopped reading, so a FIN would queue behind the unsent audio and
                // never arrive: its side would stay ESTABLISHED, ours linger in FIN_WAIT_1. A reset
                // (SO_LINGER 0) ends both at once. The JDK skips its own shutdown on close for a
                // zero linger, so the descriptor is closed with RST when the selector lets it go.
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } else {
                channel.shutdownOutput(); // FIN: the receiver reads end of stream
                if (!awaitPeerEof() && audioStillQueued()) {
                    // Stopped while the receiver was not reading: the FIN sits behind unsent audio
                    // and would leave the receiver ESTABLISHED with a half-open socket. Reset instead.
                    channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                    abortive = true;
                }
            }
        } catch (IOException e) {
            // Already reset or shut down by the peer: nothing is left to say goodbye to.
        } finally {
            tcpInfo.invalidate(); // before the descriptor goes, so that health() never reads a reused one
            TcpTransport.closeQuietly(channel);
            TcpTransport.closeQuietly(selector); // deregisters the channel, which closes its descriptor
            logger.log(Level.DEBUG, "{0}: closed the link to {1}{2}", target, peer, abortive ? " with a reset" : "");
        }
    }

    /**
     * Wait up to {@link #PEER_EOF_WAIT_NANOS} for the receiver's FIN, discarding what it sends, so
     * that both directions are closed before our descriptor goes: closing with unread data would
     * make the kernel send a reset instead of completing the close.
     *
     * @return whether the receiver closed its side in time
     */
    private boolean awaitPeerEof() throws IOException {
        key.interestOps(SelectionKey.OP_READ);
        ByteBuffer discard = ByteBuffer.allocate(4096);
        long deadline = nanoClock.getAsLong() + PEER_EOF_WAIT_NANOS;
        while (true) {
            discard.clear();
            int read = channel.read(discard);
            if (read < 0) {
                return true;
            }
            long left = deadline - nanoClock.getAsLong();
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                return false;
            }
            if (read == 0) {
                selector.select(TcpLink::ignoreReadyKey, ceilMillis(left));
            }
        }
    }

    /**
     * Return whether audio we wrote is still unsent or unacknowledged: per TCP_INFO where the
     * kernel reports it, else whether the last write had stalled on a full buffer.
     */
    private boolean audioStillQueued() {
        LinkHealth now = tcpInfo.read();
        if (now.unackedBytes() >= 0 && now.notSentBytes() >= 0) {
            return now.unackedBytes() + now.notSentBytes() > 0;
        }
        return lastWriteStalled;
    }

    /** Round up, and to at least 1: select(0) would wait forever. */
    static long ceilMillis(long nanos) {
        return Math.max(1, (nanos + 999_999) / 1_000_000);
    }

    /** The selector's ready set is not needed: after select() the loop simply tries again. */
    static void ignoreReadyKey(SelectionKey readyKey) {
        // nothing to do
    }
}
