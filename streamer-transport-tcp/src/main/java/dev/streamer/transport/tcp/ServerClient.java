package dev.streamer.transport.tcp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One receiver connected to a server-mode link: its non-blocking socket and its own queue.
 *
 * <p>Created by the acceptor thread, then owned by the sender thread (handed over through a
 * concurrent queue): the queue, the counters and the writes are the sender's alone. The status
 * thread reads only {@link #peer} and {@link #tcpInfo}.
 */
final class ServerClient {

    final SocketChannel channel;
    /** e.g. {@code 127.0.0.1:40112} or {@code [::1]:40550}, IPv4-mapped addresses unwrapped. */
    final String peer;
    /** The client's address, unwrapped, for the logs. */
    final String address;
    /** Whether it asked for {@code GET /stream.wav} (gets WAV) rather than connecting silently (gets raw PCM). */
    final boolean http;
    /** What is still to be sent, in fill mode (position = bytes queued); preallocated, a direct buffer. */
    final ByteBuffer queue;
    final TcpInfo tcpInfo;
    final long connectedNanos;
    /** When the queue last moved: bytes went out, or it went from empty to holding something. */
    long lastProgressNanos;
    /** Bytes (of what this client receives) dropped because its queue was full. */
    long droppedBytes;
    /** Bytes the kernel took from the queue. */
    long sentBytes;

    ServerClient(SocketChannel channel, InetSocketAddress remote, boolean http, ByteBuffer queue, long nowNanos,
                 System.Logger logger) {
        this.channel = channel;
        this.address = AddressText.literal(AllowList.unmapped(remote.getAddress()));
        this.peer = AddressText.authority(address, remote.getPort());
        this.http = http;
        this.queue = queue;
        this.connectedNanos = nowNanos;
        this.lastProgressNanos = nowNanos;
        this.tcpInfo = TcpInfo.of(channel, "client " + peer, logger).prepare(); // on the acceptor thread
    }

    /** Return {@code raw PCM} or {@code HTTP WAV}. */
    String kind() {
        return http ? "HTTP WAV" : "raw PCM";
    }

    @Override
    public String toString() {
        return peer;
    }
}
