package dev.streamer.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Network namespaces the fault tests create and delete themselves (root only), and the user-space
 * link impairment {@code /work/shared/tools/netimpair.py} inside one. Nothing here touches the
 * machine's own network: traffic stays in the namespace (10.99.0.x of netimpair, or loopback).
 */
final class FaultNetns {
    static final Path NETIMPAIR = Path.of("/work/shared/tools/netimpair.py");
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private FaultNetns() {
    }

    /** Skip (or under peers.required fail) unless this runs as root with /dev/net/tun, ip and python3. */
    static void requireRootTunAndPython() {
        Peers.requireTools("ip", "python3", "ss");
        Peers.Result id = Peers.run(Duration.ofSeconds(5), "id", "-u");
        if (!id.stdout().strip().equals("0")) {
            Peers.unavailable("network namespaces need root; running as uid " + id.stdout().strip());
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            Peers.unavailable("/dev/net/tun is missing");
        }
        if (!Files.isReadable(NETIMPAIR)) {
            Peers.unavailable(NETIMPAIR + " is missing");
        }
    }

    /** Create a namespace with loopback up; its name starts with {@code prefix}. */
    static String create(String prefix) {
        String ns = prefix + ProcessHandle.current().pid() + "x" + COUNTER.incrementAndGet();
        Peers.Result add = Peers.run(Duration.ofSeconds(10), "ip", "netns", "add", ns);
        if (add.exitCode() != 0) {
            Peers.unavailable("cannot create network namespace " + ns + ": " + add.stderr().strip());
        }
        Peers.run(Duration.ofSeconds(10), "ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
        return ns;
    }

    /** Delete the namespace; quietly, it may be gone already. */
    static void delete(String ns) {
        if (ns != null) {
            Peers.run(Duration.ofSeconds(10), "ip", "netns", "del", ns);
        }
    }

    /** Whether the namespace still exists. */
    static boolean exists(String ns) {
        return Peers.run(Duration.ofSeconds(10), "ip", "netns", "list").stdout().lines()
                .anyMatch(line -> line.split("\\s+")[0].equals(ns));
    }

    /** {@code netimpair.py run NS --control FILE} in the background, and its control file. */
    static final class Impairment implements AutoCloseable {
        final String ns;
        private final Path control;
        private final Process process;
        private final List<String> output = new CopyOnWriteArrayList<>();

        private Impairment(String ns, Path control, Process process) {
            this.ns = ns;
            this.control = control;
            this.process = process;
            Thread.ofPlatform().daemon().name("netimpair-output").start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        output.add(line);
                    }
                } catch (IOException e) {
                    // gone
                }
            });
        }

        /** Create the namespace {@code ns} with the impaired link and wait until it is ready. */
        static Impairment start(String ns, Path dir) {
            Path control = dir.resolve(ns + "-control.json");
            try {
                Files.writeString(control, "{\"blackout\": false, \"delay\": 0, \"jitter\": 0, \"loss\": 0}");
                Process process = new ProcessBuilder("python3", NETIMPAIR.toString(), "run", ns, "--control", control.toString())
                        .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                Impairment impairment = new Impairment(ns, control, process);
                Poll.until(Duration.ofSeconds(15), "netimpair ready in " + ns,
                        () -> impairment.output.stream().anyMatch(l -> l.contains("ready")) || !process.isAlive(),
                        () -> String.join("\n", impairment.output));
                if (!process.isAlive()) {
                    fail("netimpair exited (" + process.exitValue() + "): " + String.join("\n", impairment.output));
                }
                return impairment;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * Replace the link's settings, e.g. {@code {"blackout": true}}; netimpair re-reads the file
         * every 200 ms. Written to a temporary file and moved, so it never reads half a file.
         */
        void set(String json) {
            try {
                Path next = control.resolveSibling(control.getFileName() + ".next");
                Files.writeString(next, json);
                Files.move(next, control, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String output() {
            return String.join("\n", output);
        }

        /** Stop netimpair (SIGTERM, then SIGKILL) and delete the namespace. */
        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    Peers.killTree(process);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                Peers.killTree(process);
            }
            delete(ns);
        }
    }
}
