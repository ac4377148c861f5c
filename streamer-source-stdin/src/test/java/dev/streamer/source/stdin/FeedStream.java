package dev.streamer.source.stdin;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A pipe the test writes into in pieces of its choice: a read blocks until a piece comes, returns
 * at most the rest of that piece, -1 after {@link #end()}, and a closed feed ends a blocked read,
 * as a closed channel does.
 */
final class FeedStream extends InputStream {
    private static final byte[] END = new byte[0];

    private final LinkedBlockingQueue<byte[]> pieces = new LinkedBlockingQueue<>();
    private byte[] current;
    private int position;
    private volatile boolean closed;
    private volatile boolean readCalled;

    void feed(byte[] piece) {
        pieces.add(piece.clone());
    }

    void end() {
        pieces.add(END);
    }

    boolean readCalled() {
        return readCalled;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        readCalled = true;
        try {
            while (current == null || position == current.length) {
                if (closed) {
                    throw new IOException("closed");
                }
                byte[] next = pieces.poll(10, TimeUnit.MILLISECONDS);
                if (next == END) {
                    pieces.add(END);
                    return -1;
                }
                if (next != null) {
                    current = next;
                    position = 0;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public void close() {
        closed = true;
    }
}
