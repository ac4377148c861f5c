package dev.streamer.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A plain raw-PCM receiver: accepts one connection on an ephemeral loopback port and keeps every
 * byte until end of stream; as fast as they come, or no faster than a player would take them.
 */
final class LoopbackReceiver implements AutoCloseable {
    private final ServerSocket server;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    /** Bytes a second it reads at most (like a player), or 0 for as fast as they come. */
    private final int bytesPerSecond;
    private final Thread reader;
    private volatile boolean connected;
    private volatile boolean eof;
    private volatile Socket connection;

    private LoopbackReceiver(ServerSocket server, int bytesPerSecond) {
        this.server = server;
        this.bytesPerSecond = bytesPerSecond;
        this.reader = Thread.ofPlatform().name("loopback-receiver").daemon().start(this::receive);
    }

    static LoopbackReceiver start() throws IOException {
        return paced(0);
    }

    /** A receiver that reads no faster than {@code bytesPerSecond}, as a player in real time does. */
    static LoopbackReceiver paced(int bytesPerSecond) throws IOException {
        return new LoopbackReceiver(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()), bytesPerSecond);
    }

    int port() {
        return server.getLocalPort();
    }

    private void receive() {
        try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
            connection = socket;
            connected = true;
            byte[] buffer = new byte[65_536];
            long start = System.nanoTime();
            while (true) {
                int want = buffer.length;
                if (bytesPerSecond > 0) {
                    long due = (System.nanoTime() - start) * bytesPerSecond / 1_000_000_000L - count();
                    if (due <= 0) {
                        Thread.sleep(5);
                        continue;
                    }
                    want = (int) Math.min(due, buffer.length);
                }
                int n = in.read(buffer, 0, want);
                if (n < 0) {
                    break;
                }
                synchronized (data) {
                    data.write(buffer, 0, n);
                }
            }
            eof = true;
        } catch (IOException | InterruptedException e) {
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
