package dev.streamer.source.pulse;

import dev.streamer.api.spi.SourceException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A {@code pa_mainloop} and a {@code pa_context} connected to a PulseAudio server (or PipeWire's
 * pipewire-pulse), with the native memory that belongs to them.
 *
 * <p>The mainloop has no thread of its own: whoever waits for the server runs it
 * ({@link #iterate}), and libpulse runs its callbacks there, on the waiting thread. A threaded
 * mainloop would cost a second wake-up and a mutex for every fragment of audio. Every wait is
 * bounded by a deadline, so no call here can hang on a server that does not answer.
 *
 * <p>Not thread-safe: one thread at a time uses it, and the owner closes it once none does. The one
 * exception is {@link #wakeup()}, which another thread may call while the connection is open.
 */
final class PulseConnection implements AutoCloseable {

    /** The longest single poll while opening, so that a cancellation is seen soon even without a wakeup. */
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int NO_AUTOSPAWN = 0; // pa_context_flags_t: honour client.conf (autospawn = ... included)

    /** Everything native that lives as long as the connection: strings, structs, callbacks. */
    final Arena arena = Arena.ofShared();
    private final String server;
    private final LongSupplier clock;
    private final int timeoutMillis;
    private final long deadline;
    private MemorySegment mainloop = MemorySegment.NULL;
    private MemorySegment context = MemorySegment.NULL;
    private boolean closed;

    private PulseConnection(String server, int timeoutMillis, LongSupplier clock) {
        this.server = server;
        this.clock = clock;
        this.timeoutMillis = timeoutMillis;
        this.deadline = clock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /**
     * Connect, waiting until the context is ready, {@code timeoutMillis} pass or {@code cancelled}
     * says so. The same deadline then bounds every other wait on this connection.
     *
     * @param server the server to use; {@code ""} for libpulse's own choice
     * @throws SourceException if no server answers in time or it refuses; nothing is left open
     */
    static PulseConnection open(String server, int timeoutMillis, LongSupplier clock, BooleanSupplier cancelled)
            throws SourceException {
        LibPulse.require();
        PulseConnection connection = new PulseConnection(server, timeoutMillis, clock);
        try {
            connection.connect(cancelled);
            return connection;
        } catch (SourceException | RuntimeException | Error e) {
            connection.close();
            throw e;
        }
    }

    private void connect(BooleanSupplier cancelled) throws SourceException {
        mainloop = LibPulse.mainloopNew();
        if (mainloop.address() == 0) {
            throw new SourceException("libpulse could not create its main loop (pa_mainloop_new failed)");
        }
        context = LibPulse.contextNew(LibPulse.mainloopApi(mainloop), arena.allocateFrom("streamer"));
        if (context.address() == 0) {
            throw new SourceException("libpulse could not create a context (pa_context_new failed)");
        }
        MemorySegment where = server.isEmpty() ? MemorySegment.NULL : arena.allocateFrom(server);
        if (LibPulse.contextConnect(context, where, NO_AUTOSPAWN) < 0) {
            throw new SourceException("Could not connect to PulseAudio at " + where() + ": " + error() + "." + advice());
        }
        for (;;) {
            int state = LibPulse.contextState(context);
            if (state == LibPulse.CONTEXT_READY) {
                return;
            }
            if (state == LibPulse.CONTEXT_FAILED || state == LibPulse.CONTEXT_TERMINATED) {
                throw new SourceException("Could not connect to PulseAudio at " + where() + ": " + error() + "." + advice());
            }
            pause(cancelled, () -> "No PulseAudio server answered within " + timeoutMillis + " ms at " + where() + "." + advice());
        }
    }

    int timeoutMillis() {
        return timeoutMillis;
    }

    /**
     * Wait a little for the server (one {@link #iterate} of at most 20 ms, ending at the deadline);
     * throw if the deadline passed or the wait was cancelled or interrupted.
     */
    void pause(BooleanSupplier cancelled, Supplier<String> timeout) throws SourceException {
        if (cancelled.getAsBoolean()) {
            throw new SourceException("The pulse source was closed while waiting for PulseAudio.");
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new SourceException("Interrupted while waiting for PulseAudio.");
        }
        long left = deadline - clock.getAsLong();
        if (left <= 0) {
            throw new SourceException(timeout.get());
        }
        if (iterate(Math.min(left, SLICE_NANOS)) < 0) {
            throw new SourceException("libpulse's main loop failed while waiting for PulseAudio at " + where() + ": " + error() + ".");
        }
    }

    /**
     * Wait at most {@code timeoutNanos} for the server (or a {@link #wakeup()}), then run the callbacks
     * of whatever arrived, on this thread.
     *
     * @return the number of events dispatched, or a negative value if the mainloop failed
     */
    int iterate(long timeoutNanos) {
        return LibPulse.mainloopIterate(mainloop.address(), (int) Math.min(Integer.MAX_VALUE, Math.max(0, timeoutNanos / 1_000)));
    }

    /** Make the thread in {@link #iterate} return at once; safe from any thread while the connection is open. */
    void wakeup() {
        LibPulse.mainloopWakeup(mainloop);
    }

    /** Return which server was asked, in words: the setting, PULSE_SERVER or libpulse's default. */
    String where() {
        return where(server);
    }

    static String where(String server) {
        if (!server.isEmpty()) {
            return "\"" + server + "\" (source.server)";
        }
        String env = System.getenv("PULSE_SERVER");
        if (env != null && !env.isBlank()) {
            return "PULSE_SERVER=" + env;
        }
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        return "libpulse's default server (client.conf's default-server, else "
                + (runtime == null || runtime.isBlank() ? "$XDG_RUNTIME_DIR" : runtime) + "/pulse/native)";
    }

    static String advice() {
        return " Is pulseaudio or pipewire-pulse running for this user? Otherwise capture with --source javasound.";
    }

    /** Return libpulse's text for the context's last error, e.g. {@code Connection refused}. */
    String error() {
        return LibPulse.strerror(errno());
    }

    int errno() {
        return context.address() == 0 ? 0 : LibPulse.contextErrno(context);
    }

    MemorySegment context() {
        return context;
    }

    /** A source as the server describes it. */
    record SourceEntry(String name, String description, int sampleFormat, int rate, int channels) {

        boolean isMonitor() {
            return name.endsWith(".monitor");
        }

        /** Return e.g. {@code 48000 Hz, s16le, 2 ch}, the source's own format. */
        String nativeFormat() {
            return rate + " Hz, " + LibPulse.sampleFormatName(sampleFormat) + ", " + channels + " ch";
        }
    }

    /** Return the server's sources, in its order. */
    List<SourceEntry> sources(BooleanSupplier cancelled) throws SourceException {
        SourceCollector collector = new SourceCollector();
        MemorySegment callback = LibPulse.upcall(SourceCollector.TARGET.bindTo(collector), arena);
        await(LibPulse.getSourceInfoList(context, callback), "the list of sources", cancelled);
        return List.copyOf(collector.sources);
    }

    /** Return the name of the server's default source; null if it has none. */
    String defaultSourceName(BooleanSupplier cancelled) throws SourceException {
        ServerInfoCollector collector = new ServerInfoCollector();
        MemorySegment callback = LibPulse.upcall(ServerInfoCollector.TARGET.bindTo(collector), arena);
        await(LibPulse.getServerInfo(context, callback), "the server's information", cancelled);
        return collector.defaultSource;
    }

    /** Run the mainloop until the callbacks of {@code operation}, just started, have run. */
    private void await(MemorySegment operation, String what, BooleanSupplier cancelled) throws SourceException {
        if (operation.address() == 0) {
            throw new SourceException("PulseAudio at " + where() + " did not send " + what + ": " + error());
        }
        boolean running = true;
        try {
            while (running) {
                running = LibPulse.operationState(operation) == LibPulse.OPERATION_RUNNING;
                if (running) {
                    pause(cancelled, () -> "PulseAudio at " + where() + " did not send " + what + " within " + timeoutMillis + " ms.");
                }
            }
        } finally {
            if (running) {
                LibPulse.operationCancel(operation); // no callback after this
            }
            LibPulse.operationUnref(operation);
        }
    }

    /**
     * Disconnect and free everything native; no thread may be in {@link #iterate}. {@code first} runs
     * before, to release what lives on this context (a stream). Idempotent.
     */
    void close(Runnable first) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (mainloop.address() != 0) {
                try {
                    if (first != null) {
                        first.run();
                    }
                    if (context.address() != 0) {
                        LibPulse.contextDisconnect(context);
                        LibPulse.contextUnref(context);
                    }
                } finally {
                    LibPulse.mainloopFree(mainloop); // nothing runs the loop any more: no callback after this
                }
            }
        } finally {
            arena.close(); // the callbacks' stubs too, now that nothing can call them
        }
    }

    @Override
    public void close() {
        close(null);
    }

    /** Collects pa_source_info entries; runs in {@link #iterate} and must never throw. */
    static final class SourceCollector {
        static final MethodHandle TARGET = target(MethodHandles.lookup(), SourceCollector.class, "onSource");

        final List<SourceEntry> sources = new ArrayList<>();

        @SuppressWarnings("unused") // called by libpulse
        private void onSource(long context, long info, long eol, long userdata) {
            try {
                if ((int) eol != 0 || info == 0) { // an int: the register's low half
                    return;
                }
                String name = LibPulse.string(LibPulse.pointerAt(info + LibPulse.SOURCE_INFO_NAME));
                String description = LibPulse.string(LibPulse.pointerAt(info + LibPulse.SOURCE_INFO_DESCRIPTION));
                SourceEntry entry = new SourceEntry(name == null ? "" : name, description == null ? "" : description,
                        LibPulse.intAt(info + LibPulse.SOURCE_INFO_FORMAT), LibPulse.intAt(info + LibPulse.SOURCE_INFO_RATE),
                        LibPulse.byteAt(info + LibPulse.SOURCE_INFO_CHANNELS));
                sources.add(entry);
            } catch (Throwable e) {
                // an exception escaping an upcall ends the JVM: drop the entry instead
            }
        }
    }

    /** Collects the default source's name from pa_server_info; runs in {@link #iterate} and must never throw. */
    static final class ServerInfoCollector {
        static final MethodHandle TARGET = target(MethodHandles.lookup(), ServerInfoCollector.class, "onServerInfo");

        String defaultSource;

        @SuppressWarnings("unused") // called by libpulse
        private void onServerInfo(long context, long info, long userdata, long unused) {
            try {
                if (info != 0) {
                    defaultSource = LibPulse.string(LibPulse.pointerAt(info + LibPulse.SERVER_INFO_DEFAULT_SOURCE));
                }
            } catch (Throwable e) {
                // an exception escaping an upcall ends the JVM
            }
        }
    }

    /** Return the handle of a callback method, a {@link LibPulse#CALLBACK_TYPE}; {@code lookup} must see it (a private method of the caller's class). */
    static MethodHandle target(MethodHandles.Lookup lookup, Class<?> type, String name) {
        try {
            return lookup.findVirtual(type, name, LibPulse.CALLBACK_TYPE);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
