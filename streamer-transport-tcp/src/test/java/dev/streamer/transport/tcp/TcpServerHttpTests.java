package dev.streamer.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamer.api.PcmFormat;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP players get a correct HTTP/1.1 response and an endless WAV; everything else a clear error and a close. */
class TcpServerHttpTests {

    private static final String OK_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n";
    private static final String GET = "GET /stream.wav HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: test\r\nAccept: */*\r\n\r\n";

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {16, 24, 32})
    @Timeout(30)
    void getStreamWavAnswersOkThenAStreamingWavHeaderThenTheAudio(int bits) throws Exception {
        PcmFormat wire = PcmFormat.wire(48_000, bits, 2);
        try (TestServer server = TestServer.start(SettingsBuilder.defaults().server("127.0.0.1"), wire)) {
            TestServer.Reader player = server.http("127.0.0.1", GET);
            server.awaitClients(1);
            byte[] chunk = sineChunk(wire, 480); // 10 ms
            server.write(chunk);
            int wavBytesPerSample = bits == 24 ? 3 : bits / 8; // 24 bits are packed into 3 bytes
            int audioBytes = 480 * 2 * wavBytesPerSample;
            player.awaitBytes(OK_HEAD.length() + 44 + audioBytes, Duration.ofSeconds(5));
            server.link.close();
            assertThat(player.awaitEnd(Duration.ofSeconds(5))).isTrue();

            byte[] received = player.bytes();
            assertThat(new String(received, 0, OK_HEAD.length(), StandardCharsets.ISO_8859_1)).isEqualTo(OK_HEAD);
            byte[] header = Arrays.copyOfRange(received, OK_HEAD.length(), OK_HEAD.length() + 44);
            assertThat(header).isEqualTo(expectedWavHeader(48_000, 2, wavBytesPerSample * 8));
            byte[] audio = Arrays.copyOfRange(received, OK_HEAD.length() + 44, received.length);
            assertThat(audio).hasSize(audioBytes).isEqualTo(bits == 24 ? packed24(chunk) : chunk);
        }
    }

    @Test
    @Timeout(30)
    void eightChannelsUseWaveFormatExtensibleWithTheSpeakerMask() throws Exception {
        PcmFormat wire = PcmFormat.wire(48_000, 24, 8);
        WavStream wav = WavStream.of(wire);
        ByteBuffer h = ByteBuffer.wrap(wav.header()).order(ByteOrder.LITTLE_ENDIAN);

        assertThat(h.capacity()).isEqualTo(68);
        assertThat(h.getInt(16)).as("fmt size").isEqualTo(40);
        assertThat(h.getShort(20) & 0xffff).as("WAVE_FORMAT_EXTENSIBLE").isEqualTo(0xFFFE);
        assertThat(h.getShort(22)).as("channels").isEqualTo((short) 8);
        assertThat(h.getInt(28)).as("byte rate").isEqualTo(48_000 * 8 * 3);
        assertThat(h.getShort(32)).as("block align").isEqualTo((short) 24);
        assertThat(h.getShort(34)).as("bits per sample").isEqualTo((short) 24);
        assertThat(h.getShort(36)).as("cbSize").isEqualTo((short) 22);
        assertThat(h.getShort(38)).as("valid bits").isEqualTo((short) 24);
        assertThat(h.getInt(40)).as("7.1 mask").isEqualTo(0x63F);
        assertThat(Arrays.copyOfRange(wav.header(), 44, 60)).as("KSDATAFORMAT_SUBTYPE_PCM").isEqualTo(new byte[] {
            1, 0, 0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xaa, 0, 0x38, (byte) 0x9b, 0x71});
        assertThat(new String(wav.header(), 60, 4, StandardCharsets.US_ASCII)).isEqualTo("data");
        assertThat(h.getInt(64)).isEqualTo(-1);
        assertThat(WavStream.of(new PcmFormat(48_000, 2, 16, 2, dev.streamer.api.SampleEncoding.SIGNED, true))).isNull();
    }

    @Test
    @Timeout(30)
    void headAnswersTheSameHeadersWithoutABodyAndIsNoClient() throws Exception {
        try (TestServer server = TestServer.start(SettingsBuilder.defaults().server("127.0.0.1"), PcmFormat.DEFAULT_WIRE)) {
            TestServer.Reader head = server.http("127.0.0.1", "HEAD /stream.wav HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(head.awaitEnd(Duration.ofSeconds(5))).isTrue();
            server.write(new byte[3840]);

            assertThat(head.text()).isEqualTo(OK_HEAD);
            assertThat(head.failure()).isNull();
            assertThat(server.link.peer()).startsWith("listening on");
        }
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "GET /other HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n                | 404 Not Found",
        "GET / HTTP/1.0\\r\\n\\r\\n                                   | 404 Not Found",
        "POST /stream.wav HTTP/1.1\\r\\nContent-Length: 0\\r\\n\\r\\n | 405 Method Not Allowed",
        "DELETE /stream.wav HTTP/1.1\\r\\n\\r\\n                       | 405 Method Not Allowed",
        "GET /stream.wav\\r\\n\\r\\n                                   | 400 Bad Request",
        "HELLO\\r\\n                                                   | 400 Bad Request",
        "GET  /stream.wav HTTP/1.1\\r\\n\\r\\n                         | 400 Bad Request",
        "GET /stream.wav HTTP/1.1\\r\\nno colon here\\r\\n\\r\\n       | 400 Bad Request",
        "GET /stream.wav HTTP/1.1\\r\\n folded: header\\r\\n\\r\\n     | 400 Bad Request",
    })
    @Timeout(30)
    void anythingButGetOrHeadOfTheStreamGetsAnErrorAndIsClosed(String request, String status) throws Exception {
        try (TestServer server = TestServer.start(SettingsBuilder.defaults().server("::1"), PcmFormat.DEFAULT_WIRE)) {
            TestServer.Reader client = server.http("::1", request.strip().replace("\\r", "\r").replace("\\n", "\n"));

            assertThat(client.awaitEnd(Duration.ofSeconds(5))).as("closed after the response").isTrue();
            String response = client.text();
            assertThat(response).startsWith("HTTP/1.1 " + status + "\r\n").contains("\r\nConnection: close\r\n")
                    .contains("Content-Type: text/plain; charset=utf-8\r\n");
            String body = response.substring(response.indexOf("\r\n\r\n") + 4);
            assertThat(response).contains("Content-Length: " + body.length() + "\r\n");
            if (status.startsWith("405")) {
                assertThat(response).contains("\r\nAllow: GET, HEAD\r\n");
            }
            assertThat(client.failure()).as("a FIN after the response, not a reset").isNull();
        }
    }

    @Test
    @Timeout(30)
    void aQueryStringIsIgnored() throws Exception {
        try (TestServer server = TestServer.start(SettingsBuilder.defaults().server("127.0.0.1"), PcmFormat.DEFAULT_WIRE)) {
            TestServer.Reader player = server.http("127.0.0.1", "GET /stream.wav?t=1 HTTP/1.1\r\n\r\n");
            server.awaitClients(1);
            server.write(new byte[3840]);
            player.awaitBytes(OK_HEAD.length(), Duration.ofSeconds(5));
            assertThat(player.text()).startsWith(OK_HEAD);
        }
    }

    @Test
    @Timeout(30)
    void headersLargerThan8KiBGet431() throws Exception {
        try (TestServer server = TestServer.start(SettingsBuilder.defaults().server("127.0.0.1"), PcmFormat.DEFAULT_WIRE)) {
            String big = "GET /stream.wav HTTP/1.1\r\nCookie: " + "x".repeat(9000) + "\r\n\r\n";
            TestServer.Reader client = server.http("127.0.0.1", big);

            assertThat(client.awaitEnd(Duration.ofSeconds(5))).isTrue();
            assertThat(client.text()).startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n");
            // the rest of the request was read and dropped after our FIN, so the response was not lost to a reset
            assertThat(client.failure()).isNull();
        }
    }

    @Test
    @Timeout(30)
    void aRequestThatStallsIsAnsweredWith408AndClosedWithinTheBound() throws Exception {
        try (TestServer server = TestServer.start(SettingsBuilder.defaults().server("127.0.0.1"), PcmFormat.DEFAULT_WIRE)) {
            long start = System.nanoTime();
            TestServer.Reader client = server.http("127.0.0.1", "GET /stream.wav HTTP/1.1\r\nHost: 127.0");

            assertThat(client.awaitEnd(Duration.ofSeconds(10))).isTrue();
            Duration took = Duration.ofNanos(client.endNanos() - start);
            assertThat(client.text()).startsWith("HTTP/1.1 408 Request Timeout\r\n");
            // closed by us: 2 s after connecting, then up to 1 s for it to close its side
            assertThat(took).isBetween(Duration.ofMillis(ServerAcceptor.REQUEST_MILLIS),
                    Duration.ofMillis(ServerAcceptor.REQUEST_MILLIS + ServerAcceptor.LINGER_MILLIS + 1000));
            System.out.printf("[http] a stalled request was closed after %d ms%n", took.toMillis());
            assertThat(server.link.peer()).startsWith("listening on");
        }
    }

    @Test
    @Timeout(30)
    void aRequestSentInPiecesWithinTheBoundIsServed() throws Exception {
        try (TestServer server = TestServer.start(SettingsBuilder.defaults().server("127.0.0.1"), PcmFormat.DEFAULT_WIRE)) {
            TestServer.Reader player = server.http("127.0.0.1", "GET /stream");
            OutputStream out = player.out();
            Thread.sleep(300); // past the detection window: it already spoke, so it is HTTP, not raw PCM
            out.write(".wav HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            server.awaitClients(1);
            server.write(new byte[3840]);
            player.awaitBytes(OK_HEAD.length() + 44, Duration.ofSeconds(5));
            assertThat(player.text()).startsWith(OK_HEAD + "RIFF");
        }
    }

    /** The 44-byte header for PCM, written out field by field from the WAV specification. */
    private static byte[] expectedWavHeader(int rate, int channels, int bits) {
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(0xFFFFFFFF).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        h.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
        h.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(0xFFFFFFFF);
        return h.array();
    }

    /** A 1 kHz sine in the wire format: 24 bits sign-extended into the 4-byte container, as the engine sends it. */
    private static byte[] sineChunk(PcmFormat wire, int frames) {
        ByteBuffer out = ByteBuffer.allocate(wire.bytes(frames)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            double value = Math.sin(2 * Math.PI * 1000 * i / wire.sampleRate()) * 0.5;
            for (int c = 0; c < wire.channels(); c++) {
                switch (wire.bits()) {
                    case 16 -> out.putShort((short) Math.round(value * 32767));
                    case 24 -> out.putInt((int) Math.round(value * 8_388_607)); // sign-extended
                    default -> out.putInt((int) Math.round(value * 2_147_483_647.0));
                }
            }
        }
        return out.array();
    }

    private static byte[] packed24(byte[] in32) {
        byte[] out = new byte[in32.length / 4 * 3];
        for (int i = 0, o = 0; i < in32.length; i += 4) {
            out[o++] = in32[i];
            out[o++] = in32[i + 1];
            out[o++] = in32[i + 2];
        }
        return out;
    }
}
