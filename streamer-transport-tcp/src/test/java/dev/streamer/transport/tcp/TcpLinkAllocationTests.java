package dev.streamer.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.Link;
import dev.streamer.testkit.Allocation;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The sender thread writes every few milliseconds for hours: a write must not allocate. */
class TcpLinkAllocationTests {

    private static final int WRITES = 20_000;

    @Test
    @Timeout(60)
    void writesAllocateNothing() throws Exception {
        try (LoopbackReceiver receiver = LoopbackReceiver.on("127.0.0.1");
             ExecutorService background = Executors.newVirtualThreadPerTaskExecutor()) {
            // A small send buffer, so that some writes find it full and wait in select().
            Link link = SettingsBuilder.defaults().port(receiver.port()).sendBufferBytes(4096)
                    .transport().open(PcmFormat.DEFAULT_WIRE);
            Socket accepted = receiver.accept();
            background.submit(() -> {
                try (InputStream in = accepted.getInputStream()) {
                    return in.transferTo(OutputStream.nullOutputStream());
                }
            });
            ByteBuffer chunk = ByteBuffer.allocateDirect(960);

            writeMany(link, chunk); // warm up: class loading, lambdas, the JDK's cached buffers
            long measuring = -Allocation.currentThread() + Allocation.currentThread(); // what reading the counter allocates itself
            long before = Allocation.currentThread();
            writeMany(link, chunk);
            long allocated = Allocation.currentThread() - before - measuring;

            link.close();
            // A single object per write would be at least 16 bytes each, 320 KB in all.
            assertThat(allocated).as("bytes allocated by %d writes", WRITES).isLessThan(1024);
        }
    }

    private static void writeMany(Link link, ByteBuffer chunk) throws Exception {
        for (int i = 0; i < WRITES; i++) {
            chunk.clear();
            link.write(chunk);
        }
    }
}
