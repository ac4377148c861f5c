package dev.streamer.transport.tcp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** A plain {@link ServerSocket} on a loopback address, standing in for a receiver such as snapserver. */
final class LoopbackReceiver implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> accepted = new ArrayList<>();

    private LoopbackReceiver(ServerSocket server) {
        this.server = server;
    }

    /** Listen on {@code address} (127.0.0.1 or ::1); skip the test if this machine cannot. */
    static LoopbackReceiver on(String address) throws IOException {
        return on(address, 50, 0);
    }

    /**
     * Listen with the given backlog and, if positive, a fixed receive buffer (set before bind, so
     * accepted sockets inherit it and the kernel does not grow it).
     */
    static LoopbackReceiver on(String address, int backlog, int receiveBufferBytes) throws IOException {
        InetAddress bindAddress = InetAddress.ofLiteral(address);
        ServerSocket server = new ServerSocket();
        try {
            if (receiveBufferBytes > 0) {
                server.setReceiveBufferSize(receiveBufferBytes);
            }
            server.bind(new InetSocketAddress(bindAddress, 0), backlog);
        } catch (IOException e) {
            server.close();
            assumeTrue(false, "cannot listen on " + address + " here: " + e.getMessage());
        }
        server.setSoTimeout(10_000);
        return new LoopbackReceiver(server);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Accept the next connection (within 10 s); it is closed with the receiver. */
    Socket accept() throws IOException {
        Socket socket = server.accept();
        synchronized (accepted) {
            accepted.add(socket);
        }
        return socket;
    }

    @Override
    public void close() throws IOException {
        synchronized (accepted) {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
        server.close();
    }
}
