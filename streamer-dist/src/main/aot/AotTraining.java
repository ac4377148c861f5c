import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The AOT cache's training run (JEP 483/514/515), run by the build with the build's JDK as a
 * single-file program: {@code java AotTraining.java IMAGE CACHE}.
 *
 * <p>It streams the {@code signal} source for a few seconds from the image to a receiver of its own
 * on 127.0.0.1, in the default (client) mode, so the cache holds the classes and profiles of
 * start-up, plugin discovery, connect and the send loop; no sound card, no network beyond loopback.
 * The image's JVM writes the cache when it exits. A failed training fails the build: the launcher
 * would work without the cache, but start slower, and that must not go unnoticed.
 */
public final class AotTraining {
    public static void main(String[] args) throws Exception {
        Path image = Path.of(args[0]);
        Path cache = Path.of(args[1]);
        Files.deleteIfExists(cache);
        try (ServerSocket receiver = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> command = List.of(image.resolve("bin/java").toString(), "-XX:AOTCacheOutput=" + cache,
                    "-m", "dev.streamer.app/dev.streamer.app.Main", "stream", "--source", "signal",
                    "--set", "source.durationSeconds=3", "--host", "127.0.0.1",
                    "--port", Integer.toString(receiver.getLocalPort()), "--status", "json", "--quiet");
            Process streamer = new ProcessBuilder(command).inheritIO().redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            receiver.setSoTimeout(30_000);
            long bytes = 0;
            try (Socket link = receiver.accept(); InputStream in = link.getInputStream()) {
                byte[] buffer = new byte[65536];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    bytes += n;
                }
            }
            if (!streamer.waitFor(60, TimeUnit.SECONDS)) {
                streamer.destroyForcibly();
                throw new IOException("the training run did not end within 60 s");
            }
            if (streamer.exitValue() != 0 || bytes == 0 || !Files.isRegularFile(cache)) {
                throw new IOException("the training run exited " + streamer.exitValue() + " after sending " + bytes
                        + " bytes; no AOT cache at " + cache);
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
            System.out.printf("AOT cache %s: %d MiB, trained on %d bytes of audio%n", cache, Files.size(cache) >> 20, bytes);
        }
    }
}
