package dev.streamer.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.Link;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A plain receiver gets exactly the bytes written, in order, over IPv4, IPv6 and a host name. */
class TcpTransportDeliveryTests {

    private static final int CHUNKS = 1000;
    private static final int CHUNK_BYTES = 960; // 5 ms of 48 kHz 16-bit stereo

    @ParameterizedTest(name = "host {0}")
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1 | tcp://127.0.0.1:%d | 127.0.0.1:%d",
        "::1       | tcp://[::1]:%d     | [::1]:%d",
        "[::1]     | tcp://[::1]:%d     | [::1]:%d",
        "localhost | tcp://localhost:%d | ''",
    })
    @Timeout(30)
    void receiverGetsEveryByteInOrder(String host, String expectedTarget, String expectedPeer) throws Exception {
        // "localhost" may resolve to ::1 or 127.0.0.1 first: listen where it points first.
        InetAddress listenAddress = InetAddress.getAllByName(host.replace("[", "").replace("]", ""))[0];
        if (expectedPeer.isEmpty()) {
            expectedPeer = (listenAddress instanceof java.net.Inet6Address ? "[::1]" : listenAddress.getHostAddress()) + ":%d";
        }
        try (LoopbackReceiver receiver = LoopbackReceiver.on(listenAddress.getHostAddress());
             ExecutorService background = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<byte[]> received = background.submit(() -> {
                Socket socket = receiver.accept();
                try (InputStream in = socket.getInputStream()) {
                    ByteArrayOutputStream all = new ByteArrayOutputStream();
                    in.transferTo(all); // until the sender's FIN
                    return all.toByteArray();
                }
            });
            TcpTransport transport = SettingsBuilder.defaults().host(host).port(receiver.port()).transport();

            Link link = transport.open(PcmFormat.DEFAULT_WIRE);
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES);
            for (int i = 0; i < CHUNKS; i++) {
                chunk.clear();
                for (int j = 0; j < CHUNK_BYTES; j++) {
                    chunk.put(patternByte(i * CHUNK_BYTES + j));
                }
                chunk.flip();
                link.write(chunk);
                assertThat(chunk.hasRemaining()).isFalse();
            }
            link.close();

            byte[] bytes = received.get(10, TimeUnit.SECONDS);
            assertThat(bytes).hasSize(CHUNKS * CHUNK_BYTES);
            for (int k = 0; k < bytes.length; k++) {
                if (bytes[k] != patternByte(k)) {
                    throw new AssertionError("byte " + k + " is " + bytes[k] + ", expected " + patternByte(k));
                }
            }
            assertThat(link.peer()).isEqualTo(expectedPeer.formatted(receiver.port()));
            assertThat(transport.target()).isEqualTo(expectedTarget.formatted(receiver.port()));
        }
    }

    /** A pattern that does not repeat every 256 bytes, so a lost or repeated chunk shows. */
    private static byte patternByte(int index) {
        return (byte) (index * 31 + index / 251);
    }
}
