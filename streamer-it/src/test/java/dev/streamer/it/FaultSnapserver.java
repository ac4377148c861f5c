package dev.streamer.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A snapserver of the fault tests' own, never the shared one: its own config, datadir and ports
 * (all on 127.0.0.1), a {@code mode=server} TCP source {@value #STREAM_ID} that the image connects
 * to, JSON-RPC over HTTP. It can be killed with SIGKILL and started again on the same ports.
 */
final class FaultSnapserver implements AutoCloseable {
    static final String STREAM_ID = "FAULT";

    final int sourcePort;
    final int httpPort;
    final int streamPort;
    private final Path dir;
    private final Path config;
    private final Path log;
    private Process process;

    private FaultSnapserver(Path dir) throws IOException {
        this.dir = dir;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        this.sourcePort = FaultReceiver.freePort(loopback);
        this.httpPort = FaultReceiver.freePort(loopback);
        this.streamPort = FaultReceiver.freePort(loopback);
        this.config = dir.resolve("snapserver.conf");
        this.log = dir.resolve("snapserver.log");
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(config, String.join("\n",
                "# the fault tests' own snapserver: loopback only",
                "[server]", "datadir = " + dir.resolve("data"),
                "[http]", "enabled = true", "bind_to_address = 127.0.0.1", "port = " + httpPort,
                "[tcp]", "enabled = false",
                "[stream]", "bind_to_address = 127.0.0.1", "port = " + streamPort, "codec = pcm", "sampleformat = 48000:16:2",
                "source = tcp://127.0.0.1:" + sourcePort + "?name=" + STREAM_ID + "&mode=server&sampleformat=48000:16:2",
                "[logging]", "sink = stdout", "filter = *:info", ""));
    }

    /** Write the config into {@code dir} and start snapserver; return once it answers and its source listens. */
    static FaultSnapserver start(Path dir) throws IOException {
        Peers.requireTools("snapserver", "ss");
        FaultSnapserver server = new FaultSnapserver(dir);
        server.launch();
        return server;
    }

    /** Start snapserver (again) with the same config and ports; return once it is ready. */
    void launch() {
        try {
            process = new ProcessBuilder("snapserver", "-c", config.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start snapserver", e);
        }
        Poll.until(Duration.ofSeconds(15), "own snapserver answering JSON-RPC on " + httpPort + " with its source on " + sourcePort,
                () -> {
                    if (!process.isAlive()) {
                        return true;
                    }
                    try {
                        streamStatus();
                        return sourceListening();
                    } catch (RuntimeException e) {
                        return false;
                    }
                }, this::log);
        if (!process.isAlive()) {
            fail("snapserver exited (" + process.exitValue() + ")\n" + log());
        }
    }

    /** Whether something listens on the source port now. */
    boolean sourceListening() {
        return !Peers.run(Duration.ofSeconds(5), "ss", "-Hltn", "sport = :" + sourcePort).stdout().isBlank();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL, as a crash: no goodbye to anyone; wait until it is gone. */
    void kill9() {
        process.destroyForcibly(); // SIGKILL on Linux
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                fail("snapserver " + process.pid() + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code idle} or {@code playing} of the source stream. */
    String streamStatus() {
        return Snapserver.streamStatus(httpPort, STREAM_ID);
    }

    /** Like {@link #streamStatus()}, but "unreachable" when it does not answer. */
    String streamStatusOrUnreachable() {
        try {
            return streamStatus();
        } catch (RuntimeException e) {
            return "unreachable";
        }
    }

    /** The tail of snapserver's log, for failure messages. */
    String log() {
        try {
            String text = Files.exists(log) ? Files.readString(log) : "";
            return "--- own snapserver log (" + dir + ") ---\n" + text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            return "(no snapserver log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    Peers.killTree(process);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                Peers.killTree(process);
            }
        }
    }
}
