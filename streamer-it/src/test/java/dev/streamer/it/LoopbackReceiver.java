package dev.streamer.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.function.Supplier;

/** A plain raw-PCM receiver: accepts one connection on an ephemeral loopback port and keeps every byte until end of stream. */
final class LoopbackReceiver implements AutoCloseable {
    private final ServerSocket server;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private final Thread reader;
    private volatile boolean connected;
    private volatile boolean eof;
    private volatile Socket connection;

    private LoopbackReceiver(ServerSocket server) {
        this.server = server;
        this.reader = Thread.ofPlatform().name("loopback-receiver").daemon().start(this::receive);
    }

    static LoopbackReceiver start() throws IOException {
        return new LoopbackReceiver(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
    }

    int port() {
        return server.getLocalPort();
    }

    private void receive() {
        try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
            connection = socket;
            connected = true;
            byte[] buffer = new byte[65_536];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (data) {
                    data.write(buffer, 0, n);
                }
            }
            eof = true;
        } catch (IOException e) {
            // closed by the test
        }
    }

    boolean awaitConnection(Duration timeout) {
        return Poll.within(timeout, () -> connected);
    }

    boolean awaitEof(Duration timeout) {
        return Poll.within(timeout, () -> eof);
    }

    /** Wait until {@code n} bytes arrived; fail with {@code diagnostics} otherwise. */
    void awaitBytes(long n, Duration timeout, Supplier<String> diagnostics) {
        Poll.until(timeout, n + " bytes at the receiver", () -> count() >= n, () -> "received " + count() + "\n" + diagnostics.get());
    }

    long count() {
        synchronized (data) {
            return data.size();
        }
    }

    byte[] bytes() {
        synchronized (data) {
            return data.toByteArray();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Socket socket = connection;
        if (socket != null) {
            socket.close();
        }
        try {
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
