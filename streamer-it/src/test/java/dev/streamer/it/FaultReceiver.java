package dev.streamer.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A plain Java TCP receiver on this machine that misbehaves on purpose: it reads everything, or
 * accepts and never reads, or resets after some bytes. It records every connection: when it was
 * accepted, the sender's port, the bytes with their arrival times, and how it ended. It can stop
 * listening (so that connects are refused) and listen again on the same port.
 */
final class FaultReceiver implements AutoCloseable {

    enum Mode {
        /** Read everything until end of stream. */
        READ,
        /** Accept and never read: the sender's buffers fill up and its writes stall. */
        NEVER_READ,
        /** Read {@code resetAfterBytes}, then close with SO_LINGER 0: a reset. */
        RESET
    }

    /** One accepted connection. */
    static final class Connection {
        final long acceptNanos;
        final int senderPort;
        final Socket socket;
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();
        /** (arrival nanos, bytes so far) after every read. */
        private final List<long[]> timeline = new ArrayList<>();
        private volatile long bytes;
        volatile boolean eof;
        volatile String error;
        volatile boolean closedByUs;
        /** When the receiver reset or closed it, 0 before. */
        volatile long closedNanos;

        Connection(long acceptNanos, Socket socket) {
            this.acceptNanos = acceptNanos;
            this.socket = socket;
            this.senderPort = socket.getPort();
        }

        long bytes() {
            return bytes;
        }

        synchronized byte[] data() {
            return data.toByteArray();
        }

        /** Bytes that had arrived by {@code nanos}. */
        synchronized long bytesBy(long nanos) {
            long n = 0;
            for (long[] point : timeline) {
                if (point[0] > nanos) {
                    break;
                }
                n = point[1];
            }
            return n;
        }

        /** When the last byte so far arrived (accept time before any). */
        synchronized long lastByteNanos() {
            return timeline.isEmpty() ? acceptNanos : timeline.getLast()[0];
        }

        private synchronized void add(byte[] buffer, int n, boolean keep) {
            if (keep) {
                data.write(buffer, 0, n);
            }
            bytes += n;
            timeline.add(new long[] {System.nanoTime(), bytes});
        }

        @Override
        public String toString() {
            return "connection from port " + senderPort + ": " + bytes + " bytes" + (eof ? ", EOF" : "")
                    + (error != null ? ", " + error : "") + (closedByUs ? ", closed by the receiver" : "");
        }
    }

    private final InetAddress address;
    private final Mode mode;
    private final long resetAfterBytes;
    private final boolean keepData;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final int port;
    private volatile ServerSocket server;
    private volatile Thread acceptor;

    private FaultReceiver(InetAddress address, int port, Mode mode, long resetAfterBytes, boolean keepData) throws IOException {
        this.address = address;
        this.mode = mode;
        this.resetAfterBytes = resetAfterBytes;
        this.keepData = keepData;
        listenOn(port);
        this.port = server.getLocalPort();
    }

    /** Listen on an ephemeral port of {@code address}. */
    static FaultReceiver start(InetAddress address, Mode mode) throws IOException {
        return new FaultReceiver(address, 0, mode, 0, false);
    }

    static FaultReceiver start(InetAddress address, int port, Mode mode, long resetAfterBytes, boolean keepData) throws IOException {
        return new FaultReceiver(address, port, mode, resetAfterBytes, keepData);
    }

    /** Return a port of {@code address} that nothing listens on now. */
    static int freePort(InetAddress address) {
        try (ServerSocket probe = new ServerSocket(0, 1, address)) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void listenOn(int wanted) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true); // listen again at once, though our closed connections are in TIME-WAIT
        socket.bind(new InetSocketAddress(address, wanted), 50);
        server = socket;
        acceptor = Thread.ofPlatform().daemon().name("fault-receiver-accept").start(() -> acceptLoop(socket));
    }

    int port() {
        return port;
    }

    List<Connection> connections() {
        return List.copyOf(connections);
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket accepted = socket.accept();
                Connection connection = new Connection(System.nanoTime(), accepted);
                connections.add(connection);
                if (mode != Mode.NEVER_READ) {
                    Thread.ofVirtual().name("fault-receiver-read").start(() -> read(connection));
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void read(Connection connection) {
        byte[] buffer = new byte[65_536];
        try {
            InputStream in = connection.socket.getInputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                connection.add(buffer, n, keepData);
                if (mode == Mode.RESET && connection.bytes() >= resetAfterBytes) {
                    connection.socket.setSoLinger(true, 0);
                    connection.socket.close(); // RST
                    connection.closedNanos = System.nanoTime();
                    connection.closedByUs = true;
                    return;
                }
            }
            connection.eof = true;
            connection.socket.close(); // answer the sender's FIN with ours, as a well-behaved receiver does
        } catch (IOException e) {
            if (!connection.closedByUs) {
                connection.error = e.toString();
            }
        }
    }

    /** Wait for the {@code n}-th connection (1 = the first). */
    Connection awaitConnection(int n, Duration timeout, Supplier<String> diagnostics) {
        Poll.until(timeout, "connection #" + n + " at the receiver on port " + port, () -> connections.size() >= n,
                () -> "connections: " + connections + "\n" + diagnostics.get());
        return connections.get(n - 1);
    }

    /** Stop listening and close every connection (with FIN): the sender sees its peer gone, and new connects are refused. */
    void goAway() {
        closeQuietly(server);
        join(acceptor);
        for (Connection connection : connections) {
            if (!connection.socket.isClosed()) {
                connection.closedByUs = true; // before the close: the reader then knows the exception is ours
                closeQuietly(connection.socket);
                connection.closedNanos = System.nanoTime();
            }
        }
    }

    /** Listen on the same port again. */
    void comeBack() {
        try {
            listenOn(port);
        } catch (IOException e) {
            fail("cannot listen on port " + port + " again: " + e);
        }
    }

    @Override
    public void close() {
        goAway();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception e) {
            // best effort
        }
    }

    private static void join(Thread thread) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
