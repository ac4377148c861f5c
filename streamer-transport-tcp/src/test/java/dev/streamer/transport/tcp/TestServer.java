package dev.streamer.transport.tcp;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.TransportException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** A server-mode link on a free loopback port, and plain sockets that connect to it as receivers. */
final class TestServer implements AutoCloseable {
    final TcpServerLink link;
    final int port;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Reader> readers = new ArrayList<>();

    private TestServer(TcpServerLink link, int port) {
        this.link = link;
        this.port = port;
    }

    /** Open a server with {@code settings} (mode and listen address set) on a free port. */
    static TestServer start(SettingsBuilder settings, PcmFormat format) throws TransportException {
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            try {
                return new TestServer((TcpServerLink) settings.port(port).serverTransport().open(format), port);
            } catch (TransportException e) {
                if (e.kind() != TransportException.Kind.BIND || attempt == 10) {
                    throw e;
                }
                // taken meanwhile by someone else: another one
            }
        }
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.ofLiteral("127.0.0.1"))) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Connect a plain socket from loopback {@code address} (127.0.0.1 or ::1); skip if the machine cannot. */
    Socket connect(String address) throws IOException {
        return connect(address, 0);
    }

    /** Connect with a fixed receive buffer (set before connecting, so that the kernel does not grow it), if positive. */
    Socket connect(String address, int receiveBufferBytes) throws IOException {
        Socket socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        try {
            socket.connect(new InetSocketAddress(InetAddress.ofLiteral(address), port), 5000);
        } catch (IOException e) {
            socket.close();
            assumeTrue(!address.contains(":"), "no IPv6 loopback here: " + e.getMessage());
            throw e;
        }
        socket.setSoTimeout(10_000);
        synchronized (sockets) {
            sockets.add(socket);
        }
        return socket;
    }

    /** Connect and read everything on a virtual thread. */
    Reader reader(String address) throws IOException {
        Reader reader = new Reader(connect(address));
        readers.add(reader);
        return reader;
    }

    /** A reader that takes at most {@code stepBytes} every {@code pause}: a receiver slower than the sender's bursts. */
    Reader slowReader(String address, int stepBytes, Duration pause) throws IOException {
        Reader reader = new Reader(connect(address, stepBytes), stepBytes, pause.toNanos());
        readers.add(reader);
        return reader;
    }

    /** Connect, send an HTTP request, and read everything on a virtual thread. */
    Reader http(String address, String request) throws IOException {
        Socket socket = connect(address);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        Reader reader = new Reader(socket);
        readers.add(reader);
        return reader;
    }

    /** Wait until {@code n} clients are admitted, i.e. past the detection window. */
    void awaitClients(int n) {
        await(Duration.ofSeconds(5), "link.peer() to list " + n + " clients", () -> link.peer().startsWith(n + " client"));
    }

    static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(5); // a step between two looks, not an assertion
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Write {@code chunk}'s bytes (from position 0) once. */
    void write(byte[] chunk) throws TransportException {
        link.write(ByteBuffer.wrap(chunk));
    }

    @Override
    public void close() throws IOException {
        link.close();
        synchronized (sockets) {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        for (Reader reader : readers) {
            reader.awaitEnd(Duration.ofSeconds(5));
        }
    }

    /** The bytes a socket receives until end of stream, a reset, or close. */
    static final class Reader {
        final Socket socket;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CountDownLatch ended = new CountDownLatch(1);
        private volatile IOException failure;
        private volatile long endNanos;

        Reader(Socket socket) {
            this(socket, 65536, 0);
        }

        Reader(Socket socket, int stepBytes, long pauseNanos) {
            this.socket = socket;
            Thread.ofVirtual().name("test-reader").start(() -> {
                byte[] buffer = new byte[stepBytes];
                try (InputStream in = socket.getInputStream()) {
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        synchronized (bytes) {
                            bytes.write(buffer, 0, n);
                        }
                        LockSupport.parkNanos(pauseNanos);
                    }
                } catch (IOException e) {
                    failure = e;
                } finally {
                    endNanos = System.nanoTime();
                    ended.countDown();
                }
            });
        }

        byte[] bytes() {
            synchronized (bytes) {
                return bytes.toByteArray();
            }
        }

        int count() {
            synchronized (bytes) {
                return bytes.size();
            }
        }

        String text() {
            return new String(bytes(), StandardCharsets.ISO_8859_1);
        }

        /** Wait for the end; return whether it came within {@code timeout}. */
        boolean awaitEnd(Duration timeout) {
            try {
                return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** Return the failure that ended reading (a reset), or null for end of stream. */
        IOException failure() {
            return failure;
        }

        long endNanos() {
            return endNanos;
        }

        void awaitBytes(int n, Duration timeout) {
            await(timeout, n + " bytes from the server (have " + count() + ")", () -> count() >= n || ended.getCount() == 0);
        }

        OutputStream out() throws IOException {
            return socket.getOutputStream();
        }
    }
}
