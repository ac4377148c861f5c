package dev.streamer.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the server-mode end-to-end tests need beyond the shared helpers: free loopback ports, a
 * private snapserver whose TCP source connects to streamer ({@code mode=client}), and WAV parsing.
 * The shared snapserver of the audio peers is never touched.
 */
final class ServerModePeers {
    private ServerModePeers() {
    }

    /** Return a TCP port nobody listens on now (on 127.0.0.1). */
    static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.ofLiteral("127.0.0.1"))) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A snapserver of our own, on loopback ports of its own, whose only source is
     * {@code tcp://127.0.0.1:PORT?name=TCPC&mode=client}: it connects to streamer and retries about
     * once a second while nothing listens.
     */
    static final class OwnSnapserver implements AutoCloseable {
        static final String STREAM_ID = "TCPC";
        final int httpPort;
        final Path log;
        private final Process process;

        private OwnSnapserver(Process process, int httpPort, Path log) {
            this.process = process;
            this.httpPort = httpPort;
            this.log = log;
        }

        static OwnSnapserver start(Path dir, int sourcePort) throws IOException {
            Path data = Files.createDirectories(dir.resolve("snapserver-data"));
            int httpPort = freePort();
            int streamPort = freePort();
            Path config = dir.resolve("snapserver.conf");
            Files.writeString(config, String.join("\n",
                    "# streamer-it ServerMode tests: a private snapserver, loopback only",
                    "[server]", "datadir = " + data,
                    "[http]", "enabled = true", "bind_to_address = 127.0.0.1", "port = " + httpPort,
                    "[tcp]", "enabled = false",
                    "[stream]", "bind_to_address = 127.0.0.1", "port = " + streamPort, "codec = flac", "sampleformat = 48000:16:2",
                    "source = tcp://127.0.0.1:" + sourcePort + "?name=" + STREAM_ID + "&mode=client&sampleformat=48000:16:2",
                    "[logging]", "sink = stdout", "filter = *:info", ""));
            Path log = dir.resolve("snapserver.log");
            Process process = new ProcessBuilder("snapserver", "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            OwnSnapserver server = new OwnSnapserver(process, httpPort, log);
            try {
                Poll.until(Duration.ofSeconds(10), "our snapserver answering JSON-RPC on 127.0.0.1:" + httpPort, () -> {
                    try {
                        server.streamStatus(STREAM_ID);
                        return true;
                    } catch (RuntimeException e) {
                        return !process.isAlive();
                    }
                }, server::log);
                if (!process.isAlive()) {
                    fail("snapserver exited (" + process.exitValue() + ")\n" + server.log());
                }
                return server;
            } catch (RuntimeException | Error e) {
                server.close();
                throw e;
            }
        }

        /** Return {@code idle} or {@code playing} of stream {@code id}. */
        String streamStatus(String id) {
            return Snapserver.streamStatus(httpPort, id);
        }

        String log() {
            try {
                return "--- our snapserver's log ---\n" + (Files.exists(log) ? Files.readString(log) : "");
            } catch (IOException e) {
                return "--- our snapserver's log unreadable: " + e;
            }
        }

        @Override
        public void close() {
            Peers.killTree(process);
        }
    }

    /** A WAV file as ffmpeg writes it: the format of its {@code fmt } chunk and the bytes of its {@code data} chunk. */
    record Wav(int format, int channels, int sampleRate, int bits, byte[] data) {
        static Wav parse(byte[] file) {
            ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
            if (file.length < 12 || !ascii(file, 0).equals("RIFF") || !ascii(file, 8).equals("WAVE")) {
                fail("not a RIFF/WAVE file: " + file.length + " bytes");
            }
            int format = -1;
            int channels = 0;
            int rate = 0;
            int bits = 0;
            for (int at = 12; at + 8 <= file.length; ) {
                String id = ascii(file, at);
                long size = Integer.toUnsignedLong(b.getInt(at + 4));
                if (id.equals("fmt ")) {
                    format = b.getShort(at + 8) & 0xffff;
                    channels = b.getShort(at + 10);
                    rate = b.getInt(at + 12);
                    bits = b.getShort(at + 22);
                } else if (id.equals("data")) {
                    int end = (int) Math.min(file.length, at + 8 + size);
                    return new Wav(format, channels, rate, bits, java.util.Arrays.copyOfRange(file, at + 8, end));
                }
                at += 8 + (int) size + (int) (size & 1);
            }
            return fail("no data chunk in the WAV file");
        }

        private static String ascii(byte[] file, int at) {
            return new String(file, at, 4, StandardCharsets.US_ASCII);
        }
    }
}
