package dev.streamer.transport.tcp;

import dev.streamer.api.PcmFormat;
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
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A listening socket and the receivers connected to it, as one {@link Link}.
 *
 * <p>{@link #write} hands each chunk to every client and never waits for any: each client has its
 * own preallocated queue (about {@value #CLIENT_QUEUE_MILLIS} ms of audio) and a non-blocking
 * socket, written as far as the kernel takes it. A client whose queue has not moved for the write
 * timeout is cut off with a reset; a client whose queue is full loses the newest chunks (a gap
 * for it alone) until it catches up. Neither disturbs the others, and write() makes only
 * non-blocking system calls: it is bounded by the number of clients, not by any of them.
 *
 * <p>Threads: the engine calls {@link #write} (or {@link #writeNow}, the same) from one thread at a
 * time, its capture or its sender thread; the {@link ServerAcceptor} thread
 * accepts, classifies and admits clients; the status thread calls {@link #health()} and
 * {@link #peer()}. A new client starts with the next chunk written, never with old audio.
 */
final class TcpServerLink implements Link {

    /** Audio a client may have queued in streamer, beyond what its kernel buffers hold. */
    static final long CLIENT_QUEUE_MILLIS = 500;
    private static final int MIN_QUEUE_BYTES = 64 << 10;
    private static final int MAX_QUEUE_BYTES = 4 << 20;
    private static final int PEERS_LISTED = 8;

    private final TcpSettings settings;
    private final PcmFormat format;
    private final WavStream wav;
    private final String target;
    private final String listening;
    private final List<String> appliedOptions;
    private final System.Logger logger;
    private final LongSupplier clock;
    private final long writeTimeoutNanos;
    private final ServerAcceptor acceptor;

    /** Admitted by the acceptor, not yet taken by the sender. */
    private final ConcurrentLinkedQueue<ServerClient> arrivals = new ConcurrentLinkedQueue<>();
    /** Every admitted client until it is removed: what peer() and health() see. */
    private final List<ServerClient> members = new CopyOnWriteArrayList<>();
    /** Admitted or reserved clients, for maxClients. */
    private final AtomicInteger slots = new AtomicInteger();
    private final AtomicLong cutOff = new AtomicLong();
    private final AtomicLong served = new AtomicLong();

    /** Passed by the sender's writes and by close(), so that close() never releases clients under a write. */
    private final WriteGate gate = new WriteGate();
    private volatile boolean closeRequested;
    // owned by whoever is inside the gate: the sender, then close()
    private ServerClient[] active = new ServerClient[8];
    private int activeCount;
    private ByteBuffer wavChunk;

    TcpServerLink(ServerSocketChannel listener, TcpSettings settings, PcmFormat format, String target, String listening,
                  List<String> appliedOptions, PluginContext context) throws IOException {
        this.settings = settings;
        this.format = format;
        this.wav = WavStream.of(format);
        this.target = target;
        this.listening = listening;
        this.appliedOptions = appliedOptions;
        this.logger = context.logger();
        this.clock = context.nanoClock();
        this.writeTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.writeTimeoutMillis());
        this.acceptor = new ServerAcceptor(this, listener, settings, format, wav, target, logger, clock);
        acceptor.start();
    }

    @Override
    public boolean writesWithoutWaiting() {
        return true;
    }

    /** The same as {@link #write}, which never waits for any client. */
    @Override
    public void writeNow(ByteBuffer chunk) throws TransportException {
        write(chunk);
    }

    @Override
    public void write(ByteBuffer chunk) throws TransportException {
        if (!gate.enter()) {
            throw new TransportException(Kind.OTHER, target + ": the server was closed");
        }
        try {
            if (closeRequested) {
                throw new TransportException(Kind.OTHER, target + ": the server was closed");
            }
            Throwable failure = acceptor.failure();
            if (failure != null) {
                throw new TransportException(Kind.OTHER, target + ": the server thread failed: " + failure, failure);
            }
            takeArrivals();
            int start = chunk.position();
            int length = chunk.remaining();
            if (length == 0 || activeCount == 0) {
                chunk.position(chunk.limit());
                return;
            }
            long now = clock.getAsLong();
            int wavLength = -1;
            boolean removed = false;
            for (int i = 0; i < activeCount; i++) {
                ServerClient client = active[i];
                if (client.http) {
                    if (wavLength < 0) {
                        wavLength = toWav(chunk, start, length); // once per chunk, whatever the number of players
                    }
                    offer(client, wavChunk, 0, wavLength, now);
                } else {
                    offer(client, chunk, start, length, now);
                }
                if (!flush(client, now)) {
                    active[i] = null;
                    removed = true;
                }
            }
            if (removed) {
                compactActive();
            }
            chunk.position(chunk.limit());
        } finally {
            gate.leave();
        }
    }

    /** Queue {@code length} bytes for {@code client}, or drop them if its queue is full. */
    private void offer(ServerClient client, ByteBuffer source, int offset, int length, long now) {
        ByteBuffer queue = client.queue;
        int queued = queue.position();
        if (queued == 0) {
            client.lastProgressNanos = now; // a backlog starts now
        }
        if (queue.remaining() < length) {
            if (client.droppedBytes == 0) {
                acceptor.logLater(Level.WARNING, target + ": client " + client.peer + " is falling behind: its queue of "
                        + CLIENT_QUEUE_MILLIS + " ms is full, so it misses audio until it catches up (cut off after "
                        + settings.writeTimeoutMillis() + " ms without progress)");
            }
            client.droppedBytes += length;
            return;
        }
        queue.put(queued, source, offset, length);
        queue.position(queued + length);
    }

    /** Send what the kernel takes; return false if the client is gone (and removed). */
    private boolean flush(ServerClient client, long now) {
        ByteBuffer queue = client.queue;
        if (queue.position() == 0) {
            return true;
        }
        queue.flip();
        int sent;
        try {
            sent = client.channel.write(queue);
        } catch (IOException e) {
            queue.clear();
            Kind kind = FailureClassifier.duringWrite(e);
            remove(client, false, switch (kind) {
                case CLOSED_BY_PEER -> "closed the connection";
                case RESET -> "reset the connection";
                default -> "failed: " + e.getMessage();
            });
            return false;
        }
        queue.compact();
        if (sent > 0) {
            client.sentBytes += sent;
            client.lastProgressNanos = now;
            return true;
        }
        if (now - client.lastProgressNanos >= writeTimeoutNanos) {
            long total = cutOff.incrementAndGet();
            acceptor.logLater(Level.WARNING, target + ": client " + client.peer + " stopped reading: nothing could be sent for "
                    + settings.writeTimeoutMillis() + " ms; cut off (" + total + " cut off since the server started)");
            remove(client, true, "was cut off");
            return false;
        }
        return true;
    }

    private int toWav(ByteBuffer chunk, int start, int length) {
        int needed = wav.outputBytes(length);
        if (wavChunk == null || wavChunk.capacity() < needed) {
            wavChunk = ByteBuffer.allocateDirect(Math.max(needed, 4096)); // once, or when the engine's chunk grows
        }
        return wav.convert(chunk, start, length, wavChunk);
    }

    /** Move the clients the acceptor admitted into the sender's array; allocates only when a client arrives. */
    private void takeArrivals() {
        ServerClient client;
        while ((client = arrivals.poll()) != null) {
            if (activeCount == active.length) {
                active = Arrays.copyOf(active, active.length * 2);
            }
            active[activeCount++] = client;
        }
    }

    private void compactActive() {
        int kept = 0;
        for (int i = 0; i < activeCount; i++) {
            if (active[i] != null) {
                active[kept++] = active[i];
            }
        }
        Arrays.fill(active, kept, activeCount, null);
        activeCount = kept;
    }

    /** Close a client's socket and forget it; {@code abortive} resets instead of closing gracefully. */
    private void remove(ServerClient client, boolean abortive, String why) {
        members.remove(client);
        slots.decrementAndGet();
        client.tcpInfo.invalidate();
        if (abortive) {
            // it stopped reading: a FIN would wait behind the unsent audio forever; a reset ends both sides now
            try {
                client.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException e) {
                // gone already
            }
        }
        TcpTransport.closeQuietly(client.channel);
        acceptor.logLater(abortive ? Level.DEBUG : Level.INFO, target + ": client " + client.peer + " (" + client.kind() + ") "
                + why + " after " + seconds(clock.getAsLong() - client.connectedNanos)
                + (client.droppedBytes == 0 ? "" : ", having missed " + millisOf(client) + " ms of audio it could not take in time")
                + "; " + members.size() + " of " + settings.maxClients() + " clients left");
    }

    // --- called by the acceptor thread ---

    /** Reserve a place for a new client; false if {@code maxClients} are connected. */
    boolean reserveSlot() {
        while (true) {
            int now = slots.get();
            if (now >= settings.maxClients()) {
                return false;
            }
            if (slots.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Give back a place reserved for a client that could not be admitted. */
    void releaseSlot() {
        slots.decrementAndGet();
    }

    /** Return whether {@code maxClients} are connected. */
    boolean isFull() {
        return slots.get() >= settings.maxClients();
    }

    /** Return the queue size of a new client: about {@value #CLIENT_QUEUE_MILLIS} ms of what it receives. */
    int queueBytes(boolean http) {
        int bytes = format.bytesForMillis(CLIENT_QUEUE_MILLIS);
        if (http && wav != null) {
            bytes = wav.outputBytes(bytes) + 1024; // room for the response head and the WAV header
        }
        return Math.clamp(bytes, MIN_QUEUE_BYTES, MAX_QUEUE_BYTES);
    }

    /** Take a client in (its slot is reserved): it gets the audio from the next write on. */
    void admit(ServerClient client, List<String> options) {
        if (closeRequested) {
            slots.decrementAndGet();
            TcpTransport.closeQuietly(client.channel);
            return;
        }
        arrivals.add(client); // first: a client that peer() lists gets the next write
        members.add(client);
        served.incrementAndGet();
        logger.log(Level.INFO, "{0}: client {1} connected: {2}{3} ({4}); {5} of {6} clients", target, client.peer,
                client.kind(), client.http ? ", " + wav : "", String.join(", ", options), String.valueOf(members.size()),
                String.valueOf(settings.maxClients()));
    }

    // --- status ---

    /** {@code listening on [::]:4953}: receivers come and go, and each is logged as it does. */
    @Override
    public String streamingDetail() {
        return "listening on " + listening;
    }

    /** Return e.g. {@code 2 clients: 127.0.0.1:40112, [::1]:40550}, or {@code listening on [::]:4953} with none. */
    @Override
    public String peer() {
        List<ServerClient> now = List.copyOf(members);
        if (now.isEmpty()) {
            return streamingDetail();
        }
        StringBuilder text = new StringBuilder().append(now.size()).append(now.size() == 1 ? " client: " : " clients: ");
        for (int i = 0; i < Math.min(now.size(), PEERS_LISTED); i++) {
            text.append(i == 0 ? "" : ", ").append(now.get(i).peer);
        }
        if (now.size() > PEERS_LISTED) {
            text.append(" and ").append(now.size() - PEERS_LISTED).append(" more");
        }
        return text.toString();
    }

    @Override
    public List<String> appliedOptions() {
        return appliedOptions;
    }

    /**
     * Return the health of the client with the highest round-trip time (the one most likely to
     * fall behind), or {@link LinkHealth#UNKNOWN} without clients or where TCP_INFO cannot be read.
     */
    @Override
    public LinkHealth health() {
        LinkHealth worst = LinkHealth.UNKNOWN;
        for (ServerClient client : members) {
            LinkHealth health = client.tcpInfo.read();
            if (health.rttMicros() > worst.rttMicros()) {
                worst = health;
            }
        }
        return worst;
    }

    /** Return how many clients were cut off for not reading. */
    long cutOffCount() {
        return cutOff.get();
    }

    /** Return the acceptor, for its counters. */
    ServerAcceptor acceptor() {
        return acceptor;
    }

    /**
     * Close: stop accepting, send what every client can take at once, then FIN to all, wait up to
     * {@link TcpLink#PEER_EOF_WAIT_NANOS} for their FINs together, and release everything.
     */
    @Override
    public void close() {
        closeRequested = true;
        acceptor.stop();
        if (!gate.close()) {
            return;
        }
        takeArrivals();
        List<ServerClient> closing = new ArrayList<>(activeCount);
        long now = clock.getAsLong();
        long deadline = now + TcpLink.PEER_EOF_WAIT_NANOS;
        for (int i = 0; i < activeCount; i++) {
            closing.add(active[i]);
        }
        flushQueues(closing, deadline);
        for (Iterator<ServerClient> it = closing.iterator(); it.hasNext(); ) {
            ServerClient client = it.next();
            client.tcpInfo.invalidate();
            try {
                if (client.queue.position() > 0) {
                    // not reading: a FIN would sit behind its unsent audio and leave it half-open
                    client.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                    TcpTransport.closeQuietly(client.channel);
                    it.remove();
                } else {
                    client.channel.shutdownOutput(); // FIN: the receiver reads end of stream
                }
            } catch (IOException e) {
                TcpTransport.closeQuietly(client.channel);
                it.remove();
            }
        }
        awaitEndOfStream(closing, deadline);
        for (ServerClient client : closing) {
            TcpTransport.closeQuietly(client.channel);
        }
        Arrays.fill(active, null);
        activeCount = 0;
        members.clear();
        slots.set(0);
        logger.log(Level.INFO, "{0}: stopped listening on {1}: clients served {2}, cut off {3}, rejected {4} (allow),"
                        + " refused {5} (maxClients)", target, listening, String.valueOf(served.get()), String.valueOf(cutOff.get()),
                String.valueOf(acceptor.rejectedCount()), String.valueOf(acceptor.refusedCount()));
    }

    /**
     * Send what the clients' queues still hold (the end of the stream is audio too) until they are
     * empty or the deadline passes; a client that fails here is closed and left out.
     */
    private void flushQueues(List<ServerClient> clients, long deadline) {
        try (Selector selector = Selector.open()) {
            int pending = 0;
            for (Iterator<ServerClient> it = clients.iterator(); it.hasNext(); ) {
                ServerClient client = it.next();
                if (!sendQueued(client)) {
                    it.remove();
                } else if (client.queue.position() > 0) {
                    client.channel.register(selector, SelectionKey.OP_WRITE, client);
                    pending++;
                }
            }
            int[] left = {pending};
            selectUntil(selector, left, deadline, key -> {
                ServerClient client = (ServerClient) key.attachment();
                if (!sendQueued(client) || client.queue.position() == 0) {
                    key.cancel();
                    left[0]--;
                }
            });
        } catch (IOException | RuntimeException e) {
            // no selector: what was written already is what they get
        }
    }

    /** Write what fits now from the client's queue; {@code false} (and the channel closed) when it failed. */
    private static boolean sendQueued(ServerClient client) {
        ByteBuffer queue = client.queue;
        if (queue.position() == 0) {
            return true;
        }
        try {
            queue.flip();
            client.channel.write(queue);
            queue.compact();
            return true;
        } catch (IOException e) {
            queue.clear();
            client.tcpInfo.invalidate();
            TcpTransport.closeQuietly(client.channel);
            return false;
        }
    }

    /** Read and drop whatever the clients still send until each sent its FIN or the wait is over. */
    private void awaitEndOfStream(List<ServerClient> clients, long deadline) {
        if (clients.isEmpty()) {
            return;
        }
        try (Selector selector = Selector.open()) {
            int open = 0;
            for (ServerClient client : clients) {
                try {
                    client.channel.register(selector, SelectionKey.OP_READ, client);
                    open++;
                } catch (IOException | RuntimeException e) {
                    // closed meanwhile
                }
            }
            ByteBuffer discard = ByteBuffer.allocate(4096);
            int[] left = {open};
            selectUntil(selector, left, deadline, key -> {
                ServerClient client = (ServerClient) key.attachment();
                try {
                    while (true) {
                        discard.clear();
                        int n = client.channel.read(discard);
                        if (n < 0) {
                            key.cancel();
                            left[0]--;
                            return;
                        }
                        if (n == 0) {
                            return;
                        }
                    }
                } catch (IOException e) {
                    key.cancel();
                    left[0]--;
                }
            });
        } catch (IOException e) {
            // no selector: close without waiting
        }
    }

    /** Select until {@code pending[0]}, which {@code action} counts down, reaches zero or the deadline passes. */
    private void selectUntil(Selector selector, int[] pending, long deadline, Consumer<SelectionKey> action) throws IOException {
        while (pending[0] > 0) {
            long wait = deadline - clock.getAsLong();
            if (wait <= 0) {
                return;
            }
            selector.select(action, TcpLink.ceilMillis(wait));
        }
    }

    private long millisOf(ServerClient client) {
        long frames = client.droppedBytes / (client.http && wav != null ? wav.outputBytes(format.frameSize()) : format.frameSize());
        return frames * 1000 / format.sampleRate();
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
