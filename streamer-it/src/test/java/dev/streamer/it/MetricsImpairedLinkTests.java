package dev.streamer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The metrics of the image across a real impaired link: {@code /work/shared/tools/netimpair.py}
 * delays every packet by 25 ms ± 10 ms each way (RTT about 50 ms) and drops 1 % of them, inside a
 * private network namespace; a receiver there reads in real time, as snapserver does. streamer must
 * report the RTT the kernel measures, rate the link Good (its RTT varies by several ms: WiFi-like
 * jitter), grow the adaptive ring, and shrink it again once the impairment is removed. A clean
 * loopback link rates Excellent.
 */
class MetricsImpairedLinkTests {
    private static final Path NETIMPAIR = Path.of("/work/shared/tools/netimpair.py");
    private static final int BYTES_PER_SECOND = 192_000; // 48000:16:2
    private static final int DELAY_MILLIS = 25;
    private static final int JITTER_MILLIS = 10;
    private static final double LOSS_PERCENT = 1;
    private static final int RECEIVER_PORT = 14_700;

    @TempDir
    Path temp;

    @BeforeAll
    static void peers() {
        Peers.launcher();
        Peers.requirePulse(); // the default source (the null sink's monitor) is captured: silence is fine
        Peers.requireTools("ip", "python3", "id");
        Peers.Result id = Peers.run(Duration.ofSeconds(5), "id", "-u");
        if (!id.stdout().strip().equals("0")) {
            Peers.unavailable("network namespaces need root; running as uid " + id.stdout().strip());
        }
        if (!Files.exists(Path.of("/dev/net/tun")) || !Files.isReadable(NETIMPAIR)) {
            Peers.unavailable("/dev/net/tun or " + NETIMPAIR + " is missing");
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void anImpairedLinkReportsItsRttRatesGoodAndGrowsTheRingWhichShrinksOnceTheLinkIsClean() throws Exception {
        String ns = "mtr" + ProcessHandle.current().pid();
        Path control = temp.resolve("impairment.json");
        impair(control, DELAY_MILLIS, JITTER_MILLIS, LOSS_PERCENT);
        // closed last: the namespace goes once everything in it has stopped
        try (AutoCloseable namespace = () -> Peers.run(Duration.ofSeconds(10), "ip", "netns", "del", ns);
             Background netimpair = Background.start("netimpair", List.of("python3", NETIMPAIR.toString(), "run", ns,
                     "--control", control.toString()))) {
            netimpair.awaitLine(Duration.ofSeconds(15), line -> line.contains("ready"));
            Path script = temp.resolve("receiver.py");
            Files.writeString(script, RECEIVER_PY);
            try (Background receiver = Background.start("receiver", List.of("ip", "netns", "exec", ns, "python3", "-u",
                    script.toString(), "10.99.0.1", Integer.toString(RECEIVER_PORT), Integer.toString(BYTES_PER_SECOND)))) {
                receiver.awaitLine(Duration.ofSeconds(10), line -> line.startsWith("listening"));
                // shrink steps every 3 s of stability instead of 30 s, so that the test sees them
                List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns, Peers.launcher().toString(), "stream",
                        "--host", "10.99.0.2", "--port", Integer.toString(RECEIVER_PORT), "--status", "json",
                        "--set", "engine.adaptiveStableSeconds=3"));
                try (Background streamer = Background.start("streamer", command)) {
                    JsonNode streaming = streamer.awaitJson(Duration.ofSeconds(30),
                            e -> e.path("event").asString().equals("state") && e.path("state").asString().equals("streaming"));
                    long start = System.nanoTime();
                    // 30 s across the impaired link: six quality ratings
                    streamer.awaitJson(Duration.ofSeconds(60), e -> isStatus(e) && e.path("uptimeMillis").asLong() >= 32_000);
                    List<JsonNode> impaired = streamer.statuses(e -> e.path("state").asString().equals("streaming")
                            && e.path("uptimeMillis").asLong() >= 2_000);
                    impair(control, 0, 0, 0);
                    long clearedAt = impaired.getLast().path("uptimeMillis").asLong();
                    int largest = impaired.stream().mapToInt(e -> e.path("ringMillis").asInt()).max().orElse(0);
                    // 3 s without trouble; on a loaded machine a late capture thread (an underrun) can restart the wait
                    JsonNode shrunk = streamer.awaitJson(Duration.ofSeconds(120), e -> isStatus(e)
                            && e.path("uptimeMillis").asLong() > clearedAt && e.path("ringMillis").asInt() < largest
                            && e.path("ringLastResize").asString().startsWith("stable"));
                    // a few more seconds on the clean link
                    long shrunkAt = shrunk.path("uptimeMillis").asLong();
                    streamer.awaitJson(Duration.ofSeconds(30), e -> isStatus(e) && e.path("uptimeMillis").asLong() >= shrunkAt + 10_000);
                    List<JsonNode> clean = streamer.statuses(e -> e.path("uptimeMillis").asLong() > clearedAt + 3_000);
                    String diagnostics = streamer.diagnostics();

                    double rtt = median(impaired, e -> number(e, "rttMillis"));
                    double rttVar = median(impaired, e -> number(e, "rttVarMillis"));
                    double jitter = median(impaired, e -> e.path("jitterMillis").asDouble());
                    List<JsonNode> ratings = qualityEvents(streamer.json(), 0, clearedAt);
                    List<Integer> scores = ratings.stream().map(e -> e.path("score").asInt()).toList();
                    long retransmits = (long) number(impaired.getLast(), "retransmits");
                    List<String> cleanRings = clean.stream().map(e -> e.path("ringMillis").asInt() + " ms (" + e.path("ringLastResize").asString()
                            + ")").distinct().toList();
                    List<String> growth = impaired.stream().map(e -> e.path("ringMillis").asInt() + " ms (" + e.path("ringLastResize").asString()
                            + ")").distinct().toList();
                    long retransmitsPerMinute = ratings.isEmpty() ? -1 : ratings.getLast().path("retransmitsLastMinute").asLong();
                    double cleanRtt = median(clean, e -> number(e, "rttMillis"));
                    System.out.printf(Locale.ROOT, "[metrics impaired] netimpair %d ms ± %d ms each way, loss %.0f %%: rtt median %.1f ms"
                                    + " (rttvar median %.1f ms), send jitter median %.2f ms, retransmits %d in %d s (%d in the last minute);"
                                    + " quality ratings %s (jitter rated %s); ring %s%n",
                            DELAY_MILLIS, JITTER_MILLIS, LOSS_PERCENT, rtt, rttVar, jitter, retransmits, clearedAt / 1000, retransmitsPerMinute,
                            scores, ratings.stream().map(e -> e.path("jitterMillis").asDouble()).toList(), growth);
                    System.out.printf(Locale.ROOT, "[metrics impaired] impairment removed at %d s: rtt median %.2f ms; ring %s;"
                                    + " first shrink at %d s (%s); lost %d ms in all%n", clearedAt / 1000, cleanRtt, cleanRings,
                            shrunkAt / 1000, shrunk.path("ringLastResize").asString(), clean.getLast().path("lostMillis").asLong());

                    assertThat(streaming.path("detail").asString()).contains("10.99.0.2");
                    assertThat(rtt).as("RTT reported while impaired (median; netimpair adds %d ms each way). NaN means unknown:"
                                    + " the transport's TCP_INFO reading (TcpLink.health) is missing\n%s", DELAY_MILLIS, diagnostics)
                            .isBetween(0.8 * 2 * DELAY_MILLIS, 1.2 * 2 * DELAY_MILLIS);
                    assertThat(rttVar).as("RTT variance: the ±%d ms jitter shows", JITTER_MILLIS).isGreaterThan(2);
                    assertThat(retransmits).as("1 %% loss: TCP retransmits").isPositive();
                    assertThat(scores).as("quality ratings while impaired\n%s", diagnostics).hasSizeGreaterThanOrEqualTo(5);
                    assertThat(median(ratings, e -> e.path("score").asInt())).as("median quality score: Good (70-89), the band of"
                            + " 5-15 ms network jitter").isBetween(70.0, 89.0);
                    assertThat(largest).as("the adaptive ring grew from the preset's 2000 ms").isGreaterThan(2000);
                    assertThat(impaired.stream().map(e -> e.path("ringLastResize").asString()))
                            .as("growth reasons").anyMatch(reason -> reason.contains("jitter") || reason.contains("stall")
                                    || reason.contains("dropped") || reason.contains("underrun"));
                    assertThat(cleanRtt).as("RTT once the impairment is gone").isLessThan(10);
                    assertThat(shrunk.path("ringMillis").asInt()).as("a shrink step is a tenth")
                            .isGreaterThanOrEqualTo(impaired.getLast().path("ringMillis").asInt() * 9 / 10 - 1);
                }
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aCleanLoopbackLinkScoresExcellent() throws Exception {
        try (LoopbackReceiver receiver = LoopbackReceiver.paced(BYTES_PER_SECOND);
             StreamerProcess streamer = StreamerProcess.start("stream", "--host", "127.0.0.1", "--port",
                     Integer.toString(receiver.port()), "--status", "json")) {
            streamer.awaitState("streaming", Duration.ofSeconds(30));
            streamer.awaitEvent("30 s of streaming", Duration.ofSeconds(60),
                    e -> isStatus(e.json()) && e.path("uptimeMillis").asLong() >= 31_000);
            List<JsonNode> statuses = streamer.statuses().stream().map(StreamerProcess.Event::json).filter(e -> e.path("state").asString().equals("streaming")).toList();
            List<JsonNode> ratings = qualityEvents(streamer.events().stream().map(StreamerProcess.Event::json).toList(), 0, Long.MAX_VALUE);
            List<Integer> scores = ratings.stream().map(e -> e.path("score").asInt()).toList();
            JsonNode last = statuses.getLast();
            System.out.printf(Locale.ROOT, "[metrics loopback] quality ratings %s; rtt median %.2f ms, rttvar median %.2f ms; send jitter"
                            + " median %.2f ms; write mean %.3f / p95 %.3f / max %.3f ms; ring %d ms (%d resizes); lost %d ms; received %d B"
                            + " at %.0f B/s; jitter rated %s%n", scores, median(statuses, e -> number(e, "rttMillis")),
                    median(statuses, e -> number(e, "rttVarMillis")), median(statuses, e -> e.path("jitterMillis").asDouble()),
                    last.path("writeMeanMillis").asDouble(), last.path("writeP95Millis").asDouble(), last.path("writeMaxMillis").asDouble(),
                    last.path("ringMillis").asInt(), last.path("ringResizes").asInt(), last.path("lostMillis").asLong(), receiver.count(),
                    receiver.count() / (last.path("uptimeMillis").asLong() / 1000.0),
                    ratings.stream().map(e -> e.path("jitterMillis").asDouble()).toList());

            assertThat(scores).as("%s", streamer.diagnostics()).hasSizeGreaterThanOrEqualTo(5);
            assertThat(median(ratings, e -> e.path("score").asInt())).as("median quality score on a clean loopback link")
                    .isGreaterThanOrEqualTo(90);
            assertThat(last.path("rttMillis").isNumber()).as("RTT from TCP_INFO").isTrue();
            assertThat(last.path("lostMillis").asLong()).isZero();
            assertThat(last.path("jitterBand").asString()).isEqualTo("excellent");
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static boolean isStatus(JsonNode e) {
        return e.path("event").asString().equals("status");
    }

    private static List<JsonNode> qualityEvents(List<JsonNode> events, long fromMillis, long toMillis) {
        return events.stream().filter(e -> e.path("event").asString().equals("quality"))
                .filter(e -> e.path("uptimeMillis").asLong() >= fromMillis && e.path("uptimeMillis").asLong() <= toMillis).toList();
    }

    /** The number in {@code field}, NaN when it is null (not known). */
    private static double number(JsonNode e, String field) {
        JsonNode node = e.path(field);
        return node.isNumber() ? node.asDouble() : Double.NaN;
    }

    private static double median(List<JsonNode> events, ToDoubleFunction<JsonNode> value) {
        double[] values = events.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        return values.length % 2 == 1 ? values[values.length / 2] : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    private static void impair(Path control, int delayMillis, int jitterMillis, double lossPercent) throws IOException {
        Path next = control.resolveSibling(control.getFileName() + ".new");
        Files.writeString(next, String.format(Locale.ROOT, "{\"delay\": %d, \"jitter\": %d, \"loss\": %s}", delayMillis, jitterMillis,
                lossPercent));
        Files.move(next, control, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Accepts connections on 10.99.0.1 and reads each in real time, like snapserver's TCP source. */
    private static final String RECEIVER_PY = """
            import socket, sys, time
            host, port, rate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
            server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind((host, port))
            server.listen(1)
            print("listening", flush=True)
            while True:
                conn, peer = server.accept()
                start, total = time.monotonic(), 0
                while True:
                    due = int((time.monotonic() - start) * rate) - total
                    if due <= 0:
                        time.sleep(0.005)
                        continue
                    data = conn.recv(min(due, 65536))
                    if not data:
                        break
                    total += len(data)
                print("closed", total, flush=True)
                conn.close()
            """;

    /** A process this test started: its stdout lines (JSON where they parse), its stderr, and a kill on close. */
    static final class Background implements AutoCloseable {
        private final String name;
        private final Process process;
        private final List<String> lines = new ArrayList<>();
        private final List<JsonNode> json = new ArrayList<>();
        private final StringBuilder stderr = new StringBuilder();

        private Background(String name, Process process) {
            this.name = name;
            this.process = process;
            Thread.ofVirtual().start(() -> read(process.getInputStream(), true));
            Thread.ofVirtual().start(() -> read(process.getErrorStream(), false));
        }

        static Background start(String name, List<String> command) {
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                builder.environment().put("XDG_CONFIG_HOME", Files.createTempDirectory("metrics-config").toString());
                return new Background(name, builder.start());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + command, e);
            }
        }

        private void read(InputStream in, boolean out) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    JsonNode node = null;
                    if (out && line.startsWith("{")) {
                        try {
                            node = Snapserver.JSON.readTree(line);
                        } catch (JacksonException e) {
                            // a plain line
                        }
                    }
                    synchronized (this) {
                        if (out) {
                            lines.add(line);
                            if (node != null) {
                                json.add(node);
                            }
                        } else {
                            stderr.append(line).append('\n');
                        }
                    }
                }
            } catch (IOException e) {
                // gone
            }
        }

        synchronized List<JsonNode> json() {
            return List.copyOf(json);
        }

        List<JsonNode> statuses(Predicate<JsonNode> match) {
            return json().stream().filter(MetricsImpairedLinkTests::isStatus).filter(match).toList();
        }

        void awaitLine(Duration timeout, Predicate<String> match) {
            Poll.until(timeout, name + " line", () -> {
                synchronized (this) {
                    return lines.stream().anyMatch(match);
                }
            }, this::diagnostics);
        }

        JsonNode awaitJson(Duration timeout, Predicate<JsonNode> match) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                for (JsonNode node : json()) {
                    if (match.test(node)) {
                        return node;
                    }
                }
                if (!process.isAlive()) {
                    Poll.pause(200);
                    fail(name + " exited (" + process.exitValue() + ")\n" + diagnostics());
                }
                if (System.nanoTime() - deadline > 0) {
                    fail("timed out after " + timeout.toMillis() + " ms waiting in " + name + "\n" + diagnostics());
                }
                Poll.pause(50);
            }
        }

        synchronized String diagnostics() {
            List<String> tail = lines.subList(Math.max(0, lines.size() - 5), lines.size());
            return "--- " + name + " stdout (last " + tail.size() + " of " + lines.size() + ") ---\n" + String.join("\n", tail)
                    + "\n--- " + name + " stderr ---\n" + stderr;
        }

        @Override
        public void close() {
            process.destroy(); // SIGTERM: streamer and netimpair stop cleanly
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    Peers.killTree(process);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                Peers.killTree(process);
            }
        }
    }
}
