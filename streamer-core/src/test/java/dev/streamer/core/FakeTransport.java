package dev.streamer.core;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.Link;
import dev.streamer.api.spi.LinkHealth;
import dev.streamer.api.spi.Transport;
import dev.streamer.api.spi.TransportException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A transport for engine tests: records every byte written to its links, and can fail opens by
 * kind, fail a chosen write, or hold writes until released or the link is closed. Its links write
 * without waiting or not, as {@link Writes} says.
 */
final class FakeTransport implements Transport {
    /** How the links write. */
    enum Writes {
        /** With {@link Link#write} only, as a transport that cannot write without waiting. */
        WAITING,
        /** {@link Link#writeNow} takes every chunk whole (unless writes are held: then nothing). */
        NOW,
        /** {@link Link#writeNow} takes at most {@link #NOW_PART} bytes: the engine writes the rest. */
        NOW_IN_PARTS
    }

    static final int NOW_PART = 1000;

    /** Kinds the next opens fail with, one per attempt; when empty, {@link #failAlways} or success. */
    final ConcurrentLinkedDeque<TransportException.Kind> openFailures = new ConcurrentLinkedDeque<>();
    /** When set, every open fails with this kind (after {@link #openFailures} is used up). */
    volatile TransportException.Kind failAlways;
    /** Link number (1-based) and write number (1-based) that fail with {@link #writeFailureKind}. */
    volatile int failLink;
    volatile int failWrite;
    volatile TransportException.Kind writeFailureKind;
    /** Called for every write before it is recorded, with the link and a read-only view of the chunk. */
    volatile BiConsumer<FakeLink, ByteBuffer> onWrite = (link, chunk) -> { };
    /** What every link reports as its health. */
    volatile LinkHealth health = LinkHealth.UNKNOWN;

    final Writes writeMode;
    final AtomicInteger attempts = new AtomicInteger();
    final List<FakeLink> links = new CopyOnWriteArrayList<>();
    volatile PcmFormat openedFormat;
    volatile boolean closed;

    private final Object lock = new Object();
    private boolean holdWrites; // guarded by lock
    private int blockedWriters; // guarded by lock
    private final ByteArrayOutputStream received = new ByteArrayOutputStream(); // guarded by lock
    private final List<Integer> writeSizes = new ArrayList<>(); // guarded by lock
    private final Set<String> writerThreads = new HashSet<>(); // guarded by lock

    FakeTransport() {
        this(Writes.WAITING);
    }

    FakeTransport(Writes writes) {
        this.writeMode = writes;
    }

    @Override
    public String target() {
        return "fake://receiver";
    }

    @Override
    public Link open(PcmFormat format) throws TransportException {
        attempts.incrementAndGet();
        openedFormat = format;
        TransportException.Kind kind = openFailures.poll();
        if (kind == null) {
            kind = failAlways;
        }
        if (kind != null) {
            throw new TransportException(kind, "fake open failure");
        }
        FakeLink link = new FakeLink(links.size() + 1);
        links.add(link);
        return link;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Make writes block (until {@link #holdWrites(boolean) released} or their link is closed). */
    void holdWrites(boolean hold) {
        synchronized (lock) {
            holdWrites = hold;
            lock.notifyAll();
        }
    }

    int blockedWriters() {
        synchronized (lock) {
            return blockedWriters;
        }
    }

    byte[] received() {
        synchronized (lock) {
            return received.toByteArray();
        }
    }

    int receivedBytes() {
        synchronized (lock) {
            return received.size();
        }
    }

    List<Integer> writeSizes() {
        synchronized (lock) {
            return List.copyOf(writeSizes);
        }
    }

    /** Return the names of the threads that wrote to a link, by either method. */
    Set<String> writerThreads() {
        synchronized (lock) {
            return Set.copyOf(writerThreads);
        }
    }

    FakeLink link(int number) {
        return links.get(number - 1);
    }

    /** A link that records into its transport. */
    final class FakeLink implements Link {
        final int number;
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger closeCalls = new AtomicInteger();
        volatile boolean closed;

        FakeLink(int number) {
            this.number = number;
        }

        @Override
        public void write(ByteBuffer chunk) throws TransportException {
            enter(chunk);
            synchronized (lock) {
                blockedWriters++;
                try {
                    while (holdWrites && !closed) {
                        lock.wait();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TransportException(TransportException.Kind.OTHER, "interrupted", e);
                } finally {
                    blockedWriters--;
                }
                if (closed) {
                    throw new TransportException(TransportException.Kind.CLOSED_BY_PEER, "link closed during a write");
                }
                record(chunk, chunk.remaining());
            }
        }

        @Override
        public boolean writesWithoutWaiting() {
            return writeMode != Writes.WAITING;
        }

        @Override
        public void writeNow(ByteBuffer chunk) throws TransportException {
            if (writeMode == Writes.WAITING) {
                throw new UnsupportedOperationException("this fake link writes with waiting only");
            }
            enter(chunk);
            synchronized (lock) {
                if (!holdWrites) { // held: the kernel buffer is full, nothing goes
                    record(chunk, writeMode == Writes.NOW ? chunk.remaining() : Math.min(NOW_PART, chunk.remaining()));
                }
            }
        }

        /** Count a write, and fail it if it is the one chosen to fail. */
        private void enter(ByteBuffer chunk) throws TransportException {
            if (closed) {
                throw new TransportException(TransportException.Kind.CLOSED_BY_PEER, "write on a closed link");
            }
            int n = writes.incrementAndGet();
            if (failLink == number && failWrite == n) {
                throw new TransportException(writeFailureKind, "fake write failure");
            }
            onWrite.accept(this, chunk.asReadOnlyBuffer());
        }

        private void record(ByteBuffer chunk, int length) {
            byte[] bytes = new byte[length];
            chunk.get(bytes);
            received.writeBytes(bytes);
            writeSizes.add(length);
            writerThreads.add(Thread.currentThread().getName());
        }

        @Override
        public String peer() {
            return "fake-peer-" + number;
        }

        @Override
        public LinkHealth health() {
            return health;
        }

        @Override
        public List<String> appliedOptions() {
            return List.of("fake=yes");
        }

        @Override
        public void close() {
            closeCalls.incrementAndGet();
            synchronized (lock) {
                closed = true;
                lock.notifyAll();
            }
        }
    }
}
