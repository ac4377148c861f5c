package dev.streamer.it;

import static dev.streamer.it.FaultReceiverTests.BYTES_PER_SECOND;
import static dev.streamer.it.FaultReceiverTests.SLACK;
import static dev.streamer.it.FaultReceiverTests.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A link that goes dead without a FIN or a reset (a pulled cable), and a slow, jittery one, made
 * with {@code netimpair.py} in a network namespace of the test's own: the image and a receiver
 * both run in it, and every packet between 10.99.0.1 and 10.99.0.2 crosses the impairment.
 * (This kernel has no {@code tc netem}.) Java Sound still reaches PulseAudio through its unix socket.
 */
class FaultPulledCableTests {
    private static final int PORT = 4953; // inside the test's own namespace: nothing else listens there
    private static final int WRITE_TIMEOUT_MILLIS = 2000;

    @TempDir
    Path temp;

    @BeforeAll
    static void peers() {
        Peers.launcher();
        Peers.requireTools("kill");
        FaultNetns.requireRootTunAndPython();
        Peers.requirePulse();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aPulledCableIsDetectedByTheWriteTimeoutAndTheStreamResumesWhenItIsBack() {
        String ns = "faultcable" + ProcessHandle.current().pid();
        try (FaultNetns.Impairment link = FaultNetns.Impairment.start(ns, temp);
             FaultNsReceiver receiver = FaultNsReceiver.start(ns, PORT, temp);
             StreamerProcess streamer = StreamerProcess.streamIn(ns, "--host", "10.99.0.2", "--port", Integer.toString(PORT),
                     "--set", "transport.writeTimeoutMillis=" + WRITE_TIMEOUT_MILLIS)) {
            streamer.awaitState("streaming", 1, Duration.ofSeconds(20));
            FaultNsReceiver.Connection first = receiver.awaitConnection(1, Duration.ofSeconds(5), streamer::diagnostics);
            Poll.until(Duration.ofSeconds(10), "1 s of audio across the link", () -> first.bytes() >= BYTES_PER_SECOND,
                    () -> receiver.diagnostics() + "\n" + streamer.diagnostics());

            // pull the cable: every packet dropped, no FIN, no reset, either way
            long pulled = System.nanoTime();
            link.set("{\"blackout\": true}");
            StreamerProcess.Event lost = streamer.awaitStateAfter("reconnecting", pulled, Duration.ofSeconds(15));
            double detection = seconds(lost.nanos() - pulled);
            StreamerProcess.Event counted = streamer.awaitErrors("write_timeout", 1, Duration.ofSeconds(5));
            long received = first.bytes();
            long sent = counted.json().path("bytesSent").asLong();
            double heldMillis = (sent - received) * 1000.0 / BYTES_PER_SECOND;
            System.out.printf(Locale.ROOT, "[pulled cable] write timeout %d ms detected %.2f s after the blackout (netimpair applies it"
                            + " within 0.2 s); sent %d, received %d: %.0f ms of audio were in the kernel and the wire; %s%n",
                    WRITE_TIMEOUT_MILLIS, detection, sent, received, heldMillis, lost.detail());
            assertThat(lost.detail()).as("why it reconnects\n%s", streamer.diagnostics()).contains("write timeout");
            assertThat(detection).as("seconds from the blackout to the write timeout\n%s", streamer.diagnostics())
                    .isBetween(WRITE_TIMEOUT_MILLIS / 1000.0, 6.0);

            // still dead: attempts time out at the connect timeout, at the backoff's pace, and it never hangs
            StreamerProcess.Event timedOut = streamer.awaitErrors("connect_timeout", 1, Duration.ofSeconds(15));
            StreamerProcess.Event pending = streamer.states("reconnecting").getLast();
            System.out.printf(Locale.ROOT, "[pulled cable] reconnect attempt timed out (%s); next attempt in %.1f s%n",
                    timedOut.json().path("lastError").asString(), pending.nextAttemptSeconds());
            double gap = streamer.longestStatusGapSeconds();
            assertThat(gap).as("longest time between two status lines during the blackout\n%s", streamer.diagnostics())
                    .isLessThan(2.0);

            // plug it back in
            long restored = System.nanoTime();
            link.set("{\"blackout\": false}");
            StreamerProcess.Event back = streamer.awaitStateAfter("streaming", restored, Duration.ofSeconds(20));
            StreamerProcess.Event latest = streamer.states("reconnecting").stream().filter(e -> e.nanos() < back.nanos())
                    .reduce((a, b) -> b).orElseThrow();
            double bound = seconds(latest.nanos() - restored) + latest.nextAttemptSeconds() + SLACK + 0.2;
            List<FaultNsReceiver.Connection> connections = receiver.connections();
            FaultNsReceiver.Connection again = connections.getLast();
            Poll.until(Duration.ofSeconds(10), "audio on the new connection", () -> again.bytes() >= BYTES_PER_SECOND / 2,
                    () -> receiver.diagnostics() + "\n" + streamer.diagnostics());
            System.out.printf(Locale.ROOT, "[pulled cable] link back: streaming again %.2f s later (the pending backoff allowed %.2f s);"
                            + " errors %s; longest status gap %.2f s%n", seconds(back.nanos() - restored), bound,
                    streamer.lastStatus().json().path("errors"), gap);
            assertThat(seconds(back.nanos() - restored)).as("seconds from restoring the link to streaming\n%s", streamer.diagnostics())
                    .isLessThanOrEqualTo(Math.max(bound, 1.0));
            assertThat(again.number()).as("a new connection").isGreaterThan(1);

            streamer.signal("INT");
            assertThat(streamer.awaitExit(Duration.ofSeconds(10))).as("exit code\n%s", streamer.diagnostics()).isZero();
            List<FaultSockets.Sock> left = FaultSockets.allIn(ns).stream().filter(s -> s.peerPort() == PORT)
                    .filter(FaultSockets.Sock::halfOpenOrOpen).toList();
            Poll.until(Duration.ofSeconds(5), "no ESTAB/CLOSE-WAIT socket of the image in the namespace",
                    () -> FaultSockets.allIn(ns).stream().filter(s -> s.peerPort() == PORT).noneMatch(FaultSockets.Sock::halfOpenOrOpen),
                    left::toString);
            System.out.printf("[pulled cable] after the stop, in the namespace: %s%n", FaultSockets.allIn(ns).stream()
                    .filter(s -> s.localPort() == PORT || s.peerPort() == PORT).toList());
        } finally {
            FaultNetns.delete(ns);
        }
        assertThat(FaultNetns.exists(ns)).as("namespace %s deleted", ns).isFalse();
    }

    /** A receiver behind a dead link from the start: the SYN goes unanswered; a stop must not wait for the connect timeout. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aConnectIntoADeadLinkTimesOutAndAStopDuringItIsImmediate() {
        String ns = "faultsyn" + ProcessHandle.current().pid();
        try (FaultNetns.Impairment link = FaultNetns.Impairment.start(ns, temp);
             FaultNsReceiver receiver = FaultNsReceiver.start(ns, PORT, temp)) {
            link.set("{\"blackout\": true}");
            Poll.pause(300); // netimpair re-reads its control file every 200 ms
            try (StreamerProcess streamer = StreamerProcess.streamIn(ns, "--host", "10.99.0.2", "--port", Integer.toString(PORT))) {
                StreamerProcess.Event connecting = streamer.awaitState("connecting", 1, Duration.ofSeconds(20));
                StreamerProcess.Event timedOut = streamer.awaitState("reconnecting", 1, Duration.ofSeconds(10));
                double connectTimeout = seconds(timedOut.nanos() - connecting.nanos());
                StreamerProcess.Event second = streamer.awaitState("connecting", 2, Duration.ofSeconds(10));
                Poll.until(Duration.ofSeconds(5), "1 s into the second connect", () -> System.nanoTime() - second.nanos() >= 1_000_000_000L,
                        () -> "");
                long signalled = System.nanoTime();
                streamer.signal("INT");
                int code = streamer.awaitExit(Duration.ofSeconds(10));
                double stop = seconds(System.nanoTime() - signalled);
                System.out.printf(Locale.ROOT, "[dead link] first connect gave up after %.2f s: %s; SIGINT 1 s into the second"
                        + " connect: exit %d after %.2f s%n", connectTimeout, timedOut.detail(), code, stop);
                assertThat(timedOut.detail()).as("%s", streamer.diagnostics()).contains("connect timeout");
                assertThat(connectTimeout).as("seconds of the first attempt (connect timeout 3 s)").isBetween(3.0, 3.0 + SLACK);
                assertThat(code).as("exit code\n%s", streamer.diagnostics()).isZero();
                assertThat(stop).as("seconds from SIGINT to exit during a connect").isLessThan(1.5);
                assertThat(receiver.connections()).isEmpty();
            }
        } finally {
            FaultNetns.delete(ns);
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void audioFlowsInRealTimeAcrossA50MsDelayWith10MsJitter() {
        String ns = "faultdelay" + ProcessHandle.current().pid();
        try (FaultNetns.Impairment link = FaultNetns.Impairment.start(ns, temp);
             FaultNsReceiver receiver = FaultNsReceiver.start(ns, PORT, temp)) {
            link.set("{\"blackout\": false, \"delay\": 50, \"jitter\": 10}");
            Poll.pause(300); // netimpair re-reads its control file every 200 ms
            try (StreamerProcess streamer = StreamerProcess.streamIn(ns, "--host", "10.99.0.2", "--port", Integer.toString(PORT))) {
                streamer.awaitState("streaming", 1, Duration.ofSeconds(20));
                FaultNsReceiver.Connection connection = receiver.awaitConnection(1, Duration.ofSeconds(5), streamer::diagnostics);
                Poll.until(Duration.ofSeconds(10), "audio across the delayed link", () -> connection.bytes() >= BYTES_PER_SECOND / 2,
                        () -> receiver.diagnostics() + "\n" + streamer.diagnostics());
                long from = System.nanoTime();
                long bytesFrom = connection.bytes();
                Poll.until(Duration.ofSeconds(10), "4 s of measurement", () -> System.nanoTime() - from >= 4_000_000_000L, () -> "");
                long to = System.nanoTime();
                double rate = (connection.bytesBy(to) - bytesFrom) / seconds(to - from);
                String rtt = FaultSockets.allIn(ns).stream().filter(s -> s.peerPort() == PORT && s.state().equals("ESTAB"))
                        .findFirst().map(s -> Peers.run(Duration.ofSeconds(5), "ip", "netns", "exec", ns, "ss", "-Htni",
                                "dport = :" + PORT).stdout().replaceAll("(?s).*?(rtt:\\S+).*", "$1")).orElse("?");
                StreamerProcess.Event status = streamer.lastStatus();
                System.out.printf(Locale.ROOT, "[delay 50±10 ms] %.0f B/s over 4 s (48000:16:2 is %d B/s); kernel %s; status: rtt %s ms,"
                                + " latency drop %s ms, errors %s%n", rate, BYTES_PER_SECOND, rtt.strip(),
                        status.json().path("rttMillis").asString("n/a"), status.json().path("latencyDropMillis").asString(),
                        status.json().path("errors"));
                assertThat(rate).as("bytes per second across the impaired link\n%s", streamer.diagnostics())
                        .isBetween(0.8 * BYTES_PER_SECOND, 1.2 * BYTES_PER_SECOND);
                assertThat(streamer.states("reconnecting")).as("no reconnect on a slow link\n%s", streamer.diagnostics()).isEmpty();
                streamer.signal("INT");
                assertThat(streamer.awaitExit(Duration.ofSeconds(10))).isZero();
            }
        } finally {
            FaultNetns.delete(ns);
        }
        assertThat(FaultNetns.exists(ns)).as("namespace %s deleted", ns).isFalse();
    }
}
