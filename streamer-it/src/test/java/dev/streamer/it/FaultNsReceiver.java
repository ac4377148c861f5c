package dev.streamer.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A receiver inside a network namespace: a tiny python program that listens on 10.99.0.1:PORT,
 * reads every connection to its end and reports, on its stdout, each accept and every 50 ms the
 * bytes of each connection. This JVM time-stamps those lines as they arrive.
 */
final class FaultNsReceiver implements AutoCloseable {
    private static final String SCRIPT = """
            import socket, sys, threading, time
            port = int(sys.argv[1])
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("10.99.0.1", port))
            s.listen(8)
            print("listening", flush=True)
            lock = threading.Lock()
            counts = {}
            def serve(c, n):
                total = 0
                try:
                    while True:
                        d = c.recv(65536)
                        if not d:
                            print("eof %d" % n, flush=True)
                            break
                        total += len(d)
                        with lock:
                            counts[n] = total
                except OSError as e:
                    print("error %d %s" % (n, e), flush=True)
                c.close()
            def report():
                last = {}
                while True:
                    time.sleep(0.05)
                    with lock:
                        items = list(counts.items())
                    for n, t in items:
                        if last.get(n) != t:
                            print("bytes %d %d" % (n, t), flush=True)
                            last[n] = t
            threading.Thread(target=report, daemon=True).start()
            n = 0
            while True:
                c, a = s.accept()
                n += 1
                with lock:
                    counts[n] = 0
                print("accept %d %s:%d" % (n, a[0], a[1]), flush=True)
                threading.Thread(target=serve, args=(c, n), daemon=True).start()
            """;

    /** One connection: when it was accepted, the sender's port, and (arrival nanos, bytes so far) samples. */
    record Connection(int number, long acceptNanos, int senderPort, List<long[]> samples) {
        long bytes() {
            return samples.isEmpty() ? 0 : samples.getLast()[1];
        }

        /** Bytes reported by {@code nanos}. */
        long bytesBy(long nanos) {
            long n = 0;
            for (long[] sample : samples) {
                if (sample[0] > nanos) {
                    break;
                }
                n = sample[1];
            }
            return n;
        }
    }

    final int port;
    private final Process process;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final Map<Integer, String> endings = new ConcurrentHashMap<>();
    private final List<String> other = new CopyOnWriteArrayList<>();
    private volatile boolean listening;

    private FaultNsReceiver(String ns, int port, Path script) throws IOException {
        this.port = port;
        this.process = new ProcessBuilder("ip", "netns", "exec", ns, "python3", "-u", script.toString(), Integer.toString(port))
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Thread.ofPlatform().daemon().name("fault-ns-receiver").start(this::readOutput);
    }

    /** Start it in {@code ns} on {@code port}; return once it listens. */
    static FaultNsReceiver start(String ns, int port, Path dir) {
        try {
            Path script = dir.resolve("fault-ns-receiver.py");
            Files.writeString(script, SCRIPT);
            FaultNsReceiver receiver = new FaultNsReceiver(ns, port, script);
            Poll.until(Duration.ofSeconds(10), "the receiver in " + ns + " listening", () -> receiver.listening
                    || !receiver.process.isAlive(), receiver::diagnostics);
            if (!receiver.listening) {
                throw new IllegalStateException("the receiver in " + ns + " did not start: " + receiver.diagnostics());
            }
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                long now = System.nanoTime();
                String[] f = line.split(" ", 3);
                switch (f[0]) {
                    case "listening" -> listening = true;
                    case "accept" -> connections.add(new Connection(Integer.parseInt(f[1]), now,
                            Integer.parseInt(f[2].substring(f[2].lastIndexOf(':') + 1)), new CopyOnWriteArrayList<>()));
                    case "bytes" -> connection(Integer.parseInt(f[1])).samples().add(new long[] {now, Long.parseLong(f[2])});
                    case "eof", "error" -> endings.put(Integer.parseInt(f[1]), line);
                    default -> other.add(line);
                }
            }
        } catch (IOException e) {
            // gone
        }
    }

    private Connection connection(int number) {
        return connections.stream().filter(c -> c.number() == number).findFirst().orElseThrow();
    }

    List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** Wait for the {@code n}-th connection. */
    Connection awaitConnection(int n, Duration timeout, Supplier<String> diagnostics) {
        Poll.until(timeout, "connection #" + n + " at the receiver in the namespace", () -> connections.size() >= n,
                () -> diagnostics() + "\n" + diagnostics.get());
        return connections.get(n - 1);
    }

    String diagnostics() {
        List<String> lines = new ArrayList<>();
        for (Connection c : connections) {
            lines.add("connection " + c.number() + " from port " + c.senderPort() + ": " + c.bytes() + " bytes"
                    + (endings.containsKey(c.number()) ? ", " + endings.get(c.number()) : ""));
        }
        lines.addAll(other);
        return "--- receiver in the namespace ---\n" + String.join("\n", lines);
    }

    @Override
    public void close() {
        Peers.killTree(process);
    }
}
