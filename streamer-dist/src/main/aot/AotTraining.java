import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The AOT cache's training run (JEP 483/514/515), run by the build with the build's JDK as a
 * single-file program: {@code java AotTraining.java IMAGE CACHE}.
 *
 * <p>It streams from the image to a receiver of its own on 127.0.0.1 for a few seconds, in the
 * default (client) mode, so the cache holds the classes and linking of start-up, plugin
 * discovery, the source, connect and the send loop. It runs the command a user runs, without
 * {@code --source}, so that the first-run check (which source finds a capture device) is trained
 * too: with a PulseAudio server that is the {@code pulse} source (the cache then also holds
 * libpulse's downcall and upcall plumbing: about 100 ms of every start with it); without one Java
 * Sound, or the test tone. Should that run send nothing, the {@code signal} source, which needs no
 * sound card. The image's JVM writes the cache when it exits. It records no method profiles
 * ({@code -XX:-AOTRecordTraining}): a JVM given them compiles at start-up every method the training
 * compiled, and on a two-core machine that C1 work took the CPU from the way to the first byte
 * (about 20 ms of it; BENCHMARKS.md). A failed training fails the build:
 * the launcher would work without the cache, but start slower, and that must not go unnoticed.
 */
public final class AotTraining {
    private static final long TRAINING_BYTES = 48_000 * 4 * 3; // 3 s of the default wire format

    public static void main(String[] args) throws Exception {
        Path image = Path.of(args[0]);
        Path cache = Path.of(args[1]);
        long bytes = train(image, cache, List.of());
        String source = "default";
        if (bytes == 0) {
            System.out.println("AOT training: the default source sent nothing; training on the signal source instead");
            bytes = train(image, cache, List.of("--source", "signal", "--set", "source.durationSeconds=3"));
            source = "signal";
        }
        if (bytes == 0 || !Files.isRegularFile(cache)) {
            throw new IOException("the training run sent nothing; no AOT cache at " + cache);
        }
        // The cache is assembled by a child JVM whose failure (even a crash) leaves an empty file
        // and the training's exit code 0: only a JVM that must map it proves it usable.
        Process check = new ProcessBuilder(image.resolve("bin/java").toString(), "-XX:AOTCache=" + cache, "-XX:AOTMode=on",
                "-m", "dev.streamer.app/dev.streamer.app.Main", "--version").inheritIO()
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!check.waitFor(60, TimeUnit.SECONDS) || check.exitValue() != 0) {
            check.destroyForcibly();
            throw new IOException("the AOT cache " + cache + " (" + Files.size(cache) + " bytes) cannot be used by the image's JVM");
        }
        System.out.printf("AOT cache %s: %d MiB, trained on %d bytes of audio from the %s source%n", cache,
                Files.size(cache) >> 20, bytes, source);
    }

    /**
     * Stream {@code sourceArgs} for about 3 s (or until the source ends), then stop it as a user
     * would (SIGTERM), and wait for the JVM to write the cache.
     *
     * @return the bytes received; 0 if the run failed, and then no cache is left behind
     */
    private static long train(Path image, Path cache, List<String> sourceArgs) throws IOException, InterruptedException {
        Files.deleteIfExists(cache);
        try (ServerSocket receiver = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> command = new ArrayList<>(List.of(image.resolve("bin/java").toString(), "-XX:AOTCacheOutput=" + cache,
                    "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTRecordTraining", "-m", "dev.streamer.app/dev.streamer.app.Main", "stream"));
            command.addAll(sourceArgs);
            command.addAll(List.of("--host", "127.0.0.1", "--port", Integer.toString(receiver.getLocalPort()),
                    "--status", "json", "--quiet"));
            Process streamer = new ProcessBuilder(command).inheritIO().redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long bytes = 0;
            try (Socket link = accept(receiver, streamer); InputStream in = link == null ? InputStream.nullInputStream()
                    : link.getInputStream()) {
                byte[] buffer = new byte[65536];
                for (int n; bytes < TRAINING_BYTES && (n = in.read(buffer)) >= 0; ) {
                    bytes += n;
                }
            }
            streamer.destroy(); // SIGTERM: streamer stops cleanly and exits 0, and the JVM writes the cache
            if (!streamer.waitFor(60, TimeUnit.SECONDS)) {
                streamer.destroyForcibly();
                throw new IOException("the training run did not end within 60 s");
            }
            if (streamer.exitValue() != 0 || bytes == 0) {
                Files.deleteIfExists(cache);
                return 0;
            }
            return bytes;
        }
    }

    /** Wait up to 30 s for the streamer to connect; null if it ended first. */
    private static Socket accept(ServerSocket receiver, Process streamer) throws IOException {
        receiver.setSoTimeout(200);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                return receiver.accept();
            } catch (SocketTimeoutException e) {
                if (!streamer.isAlive()) {
                    return null;
                }
            }
        }
        throw new IOException("the training run did not connect within 30 s");
    }
}
