package dev.streamer.transport.tcp;

import dev.streamer.api.PcmFormat;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The I/O thread of a server-mode link: accepts connections, applies the allowlist, tells raw PCM
 * receivers from HTTP players, answers HTTP, and hands every admitted client to the
 * {@link TcpServerLink}, whose sender thread writes the audio.
 *
 * <p>A new connection is first watched for {@value #DETECT_MILLIS} ms: a raw PCM receiver (snapserver's
 * {@code mode=client} source, {@code ffmpeg -f s16le -i tcp://...}) sends nothing, an HTTP client
 * sends its request. An HTTP request must be complete within {@value #REQUEST_MILLIS} ms and
 * {@value HttpRequest#MAX_HEADER_BYTES} bytes. After an error response the connection is closed
 * gracefully: FIN, then whatever the client still sends is read and dropped for at most
 * {@value #LINGER_MILLIS} ms, so that closing with unread bytes does not reset the connection
 * before the client has read the response.
 *
 * <p>One platform thread, {@value #THREAD_NAME}, blocked in {@code select()} when idle.
 */
final class ServerAcceptor {

    static final String THREAD_NAME = "streamer-tcp-server";
    static final long DETECT_MILLIS = 200;
    static final long REQUEST_MILLIS = 2000;
    static final long LINGER_MILLIS = 1000;
    /** Connections accepted but not yet admitted or answered; more are closed at once. */
    static final int MAX_PENDING = 64;
    private static final long ACCEPT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long IDLE_SELECT_MILLIS = 1000;

    private enum State { DETECTING, REQUEST, RESPONDING, LINGERING }

    /** A connection that is not a client yet: being classified, or being answered and closed. */
    private static final class Pending {
        final SocketChannel channel;
        final InetSocketAddress remote;
        final String peer;
        final String address;
        final long acceptedNanos;
        SelectionKey key;
        State state = State.DETECTING;
        /** Whether it is admitted as an HTTP client (GET /stream.wav) rather than as a raw PCM receiver. */
        boolean http;
        long deadline;
        byte[] request;
        int requestLength;
        ByteBuffer response;

        Pending(SocketChannel channel, InetSocketAddress remote, long acceptedNanos) {
            this.channel = channel;
            this.remote = remote;
            this.address = AddressText.literal(AllowList.unmapped(remote.getAddress()));
            this.peer = AddressText.authority(address, remote.getPort());
            this.acceptedNanos = acceptedNanos;
        }
    }

    private final TcpServerLink link;
    private final ServerSocketChannel listener;
    private final Selector selector;
    private final SelectionKey listenerKey;
    private final TcpSettings settings;
    private final PcmFormat format;
    private final WavStream wav;
    private final AllowList allow;
    private final String target;
    private final System.Logger logger;
    private final LongSupplier clock;
    private final PeerLog rejected;
    private final PeerLog refused;
    private final List<Pending> pending = new ArrayList<>();
    private final List<Pending> admitting = new ArrayList<>();
    private final ByteBuffer discard = ByteBuffer.allocate(4096);
    private final Thread thread;
    /** Log lines the sender thread hands over, so that its writes never wait for a console or a journal. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> deferredLogs = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile boolean stopping;
    private volatile Throwable failure;
    private long acceptPausedUntil;
    private boolean acceptPaused;

    ServerAcceptor(TcpServerLink link, ServerSocketChannel listener, TcpSettings settings, PcmFormat format, WavStream wav,
                   String target, System.Logger logger, LongSupplier clock) throws IOException {
        this.link = link;
        this.listener = listener;
        this.settings = settings;
        this.format = format;
        this.wav = wav;
        this.allow = settings.allowList();
        this.target = target;
        this.logger = logger;
        this.clock = clock;
        this.rejected = new PeerLog(logger);
        this.refused = new PeerLog(logger);
        this.selector = Selector.open();
        try {
            listener.configureBlocking(false);
            this.listenerKey = listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
        this.thread = Thread.ofPlatform().name(THREAD_NAME).daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Stop accepting, close the listener and every connection not yet admitted; bounded. */
    void stop() {
        stopping = true;
        selector.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                if (!thread.join(Duration.ofSeconds(1))) {
                    logger.log(Level.WARNING, "{0}: thread {1} did not stop in time", target, THREAD_NAME);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Log on this thread rather than the caller's: for the sender thread, whose write() must not
     * wait for the log's output. Allocates (the lambda), so for events only, never per chunk.
     */
    void logLater(Level level, String message) {
        if (stopping) {
            logger.log(level, message);
            return;
        }
        deferredLogs.add(() -> logger.log(level, message));
        selector.wakeup();
    }

    private void flushLogs() {
        Runnable line;
        while ((line = deferredLogs.poll()) != null) {
            line.run();
        }
    }

    /** Return what ended the thread unexpectedly, or null. */
    Throwable failure() {
        return failure;
    }

    /** Return how many connections the allowlist turned away. */
    long rejectedCount() {
        return rejected.total();
    }

    /** Return how many receivers were refused because {@code maxClients} were connected. */
    long refusedCount() {
        return refused.total();
    }

    private void run() {
        try {
            while (!stopping) {
                long now = clock.getAsLong();
                selector.select(this::onReady, selectMillis(now));
                if (stopping) {
                    break;
                }
                expire(clock.getAsLong());
                admitReady();
                flushLogs();
            }
        } catch (Throwable e) {
            if (!stopping) {
                failure = e;
                logger.log(Level.ERROR, target + ": the server thread failed; the stream will reopen the listener", e);
            }
        } finally {
            flushLogs();
            for (Pending p : pending) {
                TcpTransport.closeQuietly(p.channel);
            }
            for (Pending p : admitting) {
                TcpTransport.closeQuietly(p.channel);
            }
            pending.clear();
            admitting.clear();
            TcpTransport.closeQuietly(listener);
            TcpTransport.closeQuietly(selector); // deregisters: the descriptors are released now
        }
    }

    private long selectMillis(long now) {
        long next = acceptPaused ? acceptPausedUntil : Long.MAX_VALUE;
        for (Pending p : pending) {
            next = Math.min(next, p.deadline);
        }
        if (next == Long.MAX_VALUE) {
            return IDLE_SELECT_MILLIS;
        }
        return Math.min(IDLE_SELECT_MILLIS, TcpLink.ceilMillis(next - now));
    }

    private void onReady(SelectionKey key) {
        if (key == listenerKey) {
            acceptAll();
            return;
        }
        Pending p = (Pending) key.attachment();
        if (!key.isValid()) {
            return;
        }
        try {
            if (key.isReadable()) {
                readFrom(p);
            } else if (key.isWritable()) {
                respond(p);
            }
        } catch (IOException e) {
            logger.log(Level.DEBUG, "{0}: connection from {1} failed: {2}", target, p.peer, e.getMessage());
            drop(p, false);
        }
    }

    private void acceptAll() {
        while (!stopping) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                // e.g. EMFILE: the connection waits in the backlog; do not spin on it
                refused.log(Level.WARNING, "accept", "*", target + ": cannot accept a connection: " + e.getMessage()
                        + "; pausing for " + TimeUnit.NANOSECONDS.toMillis(ACCEPT_PAUSE_NANOS) + " ms");
                acceptPaused = true;
                acceptPausedUntil = clock.getAsLong() + ACCEPT_PAUSE_NANOS;
                listenerKey.interestOps(0);
                return;
            }
            if (channel == null) {
                return;
            }
            accepted(channel);
        }
    }

    private void accepted(SocketChannel channel) {
        try {
            InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
            InetAddress address = AllowList.unmapped(remote.getAddress());
            if (!allow.permits(address)) {
                String literal = AddressText.literal(address);
                rejected.log(Level.INFO, "rejected", literal, target + ": rejected a connection from " + literal
                        + ": not in allow (" + allow + ")");
                TcpTransport.closeQuietly(channel); // counted first: whoever sees the close sees the count
                return;
            }
            if (pending.size() >= MAX_PENDING) {
                String literal = AddressText.literal(address);
                refused.log(Level.WARNING, "pending", literal, target + ": closed a connection from " + literal + ": already "
                        + MAX_PENDING + " connections are being set up");
                TcpTransport.closeQuietly(channel);
                return;
            }
            channel.configureBlocking(false);
            Pending p = new Pending(channel, remote, clock.getAsLong());
            p.deadline = p.acceptedNanos + TimeUnit.MILLISECONDS.toNanos(DETECT_MILLIS);
            p.key = channel.register(selector, SelectionKey.OP_READ, p);
            pending.add(p);
            logger.log(Level.DEBUG, "{0}: connection from {1}", target, p.peer);
        } catch (IOException e) {
            logger.log(Level.DEBUG, "{0}: an accepted connection failed at once: {1}", target, e.getMessage());
            TcpTransport.closeQuietly(channel);
        }
    }

    private void readFrom(Pending p) throws IOException {
        if (p.state == State.LINGERING) {
            while (true) {
                discard.clear();
                int n = p.channel.read(discard);
                if (n < 0) {
                    drop(p, false); // the client read our response and closed: done
                    return;
                }
                if (n == 0) {
                    return;
                }
            }
        }
        if (p.state != State.DETECTING && p.state != State.REQUEST) {
            return;
        }
        if (p.request == null) {
            p.request = new byte[HttpRequest.MAX_HEADER_BYTES];
        }
        ByteBuffer into = ByteBuffer.wrap(p.request, p.requestLength, p.request.length - p.requestLength);
        int n = p.channel.read(into);
        if (n < 0) {
            logger.log(Level.DEBUG, "{0}: {1} closed before sending a complete request", target, p.peer);
            drop(p, false);
            return;
        }
        p.requestLength += n;
        if (p.state == State.DETECTING && n > 0) {
            p.state = State.REQUEST; // it talks: an HTTP client, with a bounded time for the whole request
            p.deadline = p.acceptedNanos + TimeUnit.MILLISECONDS.toNanos(REQUEST_MILLIS);
        }
        HttpRequest.Verdict verdict = HttpRequest.examine(p.request, p.requestLength);
        if (verdict.complete()) {
            answer(p, verdict);
        }
    }

    private void answer(Pending p, HttpRequest.Verdict verdict) throws IOException {
        int status = verdict.status();
        if (status == 200 && wav == null) {
            status = 501;
        }
        if (status == 200 && !verdict.head()) {
            if (link.reserveSlot()) {
                p.http = true; // handed over below, after the selector let go of the channel
                admitting.add(p);
                pending.remove(p);
                p.key.cancel();
                logger.log(Level.DEBUG, "{0}: {1} asked for {2}", target, p.peer, verdict.detail());
                return;
            }
            status = 503;
        }
        if (status == 200 && link.isFull()) {
            status = 503; // HEAD says what GET would get
        }
        if (status == 503) {
            refused.log(Level.WARNING, "full", p.address, target + ": refused HTTP client " + p.peer + " (503): already "
                    + settings.maxClients() + " clients (maxClients)");
        } else if (status != 200) {
            logger.log(Level.INFO, "{0}: answered {1} {2} to {3}: {4}", target, String.valueOf(status), HttpRequest.reason(status), p.peer,
                    verdict.detail());
        } else {
            logger.log(Level.INFO, "{0}: answered HEAD from {1}", target, p.peer);
        }
        startResponse(p, HttpRequest.response(status, verdict.head()));
    }

    private void startResponse(Pending p, byte[] response) throws IOException {
        p.state = State.RESPONDING;
        p.response = ByteBuffer.wrap(response);
        p.deadline = clock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
        p.key.interestOps(SelectionKey.OP_WRITE);
        respond(p);
    }

    private void respond(Pending p) throws IOException {
        if (p.state != State.RESPONDING || p.response == null) {
            return;
        }
        p.channel.write(p.response);
        if (p.response.hasRemaining()) {
            return; // the rest when the socket is writable again
        }
        p.channel.shutdownOutput(); // FIN after the response
        p.state = State.LINGERING;
        p.deadline = clock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
        p.key.interestOps(SelectionKey.OP_READ);
        readFrom(p);
    }

    private void expire(long now) {
        if (acceptPaused && now - acceptPausedUntil >= 0) {
            acceptPaused = false;
            listenerKey.interestOps(SelectionKey.OP_ACCEPT);
        }
        for (int i = pending.size() - 1; i >= 0; i--) {
            Pending p = pending.get(i);
            if (now - p.deadline < 0) {
                continue;
            }
            try {
                expire(p, i);
            } catch (IOException e) {
                // this connection failed (e.g. reset while we answer it); the others go on
                logger.log(Level.DEBUG, "{0}: connection from {1} failed: {2}", target, p.peer, e.getMessage());
                drop(p, false);
            }
        }
    }

    /** Act on a deadline that passed; {@code i} is its index in {@link #pending}. */
    private void expire(Pending p, int i) throws IOException {
        switch (p.state) {
            case DETECTING -> {
                // silent for DETECT_MILLIS: a raw PCM receiver
                if (link.reserveSlot()) {
                    pending.remove(i);
                    p.key.cancel();
                    admitting.add(p);
                } else {
                    refused.log(Level.WARNING, "full", p.address, target + ": refused raw PCM client " + p.peer
                            + ": already " + settings.maxClients() + " clients (maxClients)");
                    drop(p, false);
                }
            }
            case REQUEST -> {
                logger.log(Level.INFO, "{0}: {1} did not complete its HTTP request within {2} ms; answering 408",
                        target, p.peer, String.valueOf(REQUEST_MILLIS));
                startResponse(p, HttpRequest.response(408, false));
            }
            case RESPONDING -> drop(p, true); // cannot even take a short response: reset
            case LINGERING -> drop(p, false); // answered and FIN sent; stop listening to it
        }
    }

    /**
     * Hand the admitted connections to the link. Their keys were cancelled; a select flushes them,
     * so that the sender owns channels no selector holds (a reset on cut-off then goes out at once).
     */
    private void admitReady() throws IOException {
        List<Pending> batch = new ArrayList<>();
        while (!admitting.isEmpty()) {
            batch.clear();
            batch.addAll(admitting);
            admitting.clear();
            selector.selectNow(this::onReady); // deregisters the keys of the batch; may admit more, for the next round
            for (Pending p : batch) {
                try {
                    admit(p);
                } catch (IOException | RuntimeException | OutOfMemoryError e) {
                    link.releaseSlot();
                    logger.log(Level.WARNING, "{0}: could not admit {1}: {2}", target, p.peer, e.toString());
                    TcpTransport.closeQuietly(p.channel);
                }
            }
        }
    }

    private void admit(Pending p) throws IOException {
        boolean http = p.http;
        TcpTransport.applyOptions(p.channel, format, settings, logger, target);
        ByteBuffer queue = ByteBuffer.allocateDirect(link.queueBytes(http));
        if (http) {
            queue.put(HttpRequest.response(200, false));
            wav.putHeader(queue);
        }
        ServerClient client = new ServerClient(p.channel, p.remote, http, queue, clock.getAsLong(), logger);
        List<String> options = TcpTransport.readBackOptions(p.channel);
        link.admit(client, options);
    }

    /** Close a connection that never became a client; {@code abortive} with a reset. */
    private void drop(Pending p, boolean abortive) {
        pending.remove(p);
        if (p.key != null) {
            p.key.cancel();
        }
        if (abortive) {
            try {
                p.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException e) {
                // closed already
            }
        }
        TcpTransport.closeQuietly(p.channel);
    }
}
