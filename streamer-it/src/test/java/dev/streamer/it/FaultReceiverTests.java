package dev.streamer.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The image against plain Java receivers on loopback that fail on purpose: one that never reads,
 * one that resets, a port nobody listens on, a host name that does not resolve, and IPv6
 * loopback. The connection contract of the README: every failure is detected within its bound,
 * classified and counted; reconnects follow the backoff (2 s doubling, ±500 ms, no reset while
 * connections die young); the sender is never stuck; a stop leaves nothing half open.
 *
 * <p>Times are taken in this JVM: accepts by the receiver, and the arrival of the image's JSON
 * lines on stdout (a few ms after the image wrote them). Bounds have margins for a busy machine.
 */
class FaultReceiverTests {
    static final int BYTES_PER_SECOND = 192_000; // 48000:16:2
    /** Slack for stdout delivery, scheduling and the 20 ms poll of the sender on a loaded 2-CPU machine. */
    static final double SLACK = 0.5;

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @BeforeAll
    static void peers() {
        Peers.launcher();
        Peers.requireTools("kill", "ss");
        Peers.requirePulse(); // the image captures the null sink's monitor through Java Sound
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aReceiverThatNeverReadsIsCutByTheWriteTimeoutAndRetriedWithBackoff() throws Exception {
        try (FaultReceiver receiver = FaultReceiver.start(LOOPBACK, FaultReceiver.Mode.NEVER_READ);
             StreamerProcess streamer = StreamerProcess.stream("--host", "127.0.0.1", "--port", Integer.toString(receiver.port()),
                     "--set", "transport.writeTimeoutMillis=1000")) {
            FaultReceiver.Connection first = receiver.awaitConnection(1, Duration.ofSeconds(20), streamer::diagnostics);
            StreamerProcess.Event cut = streamer.awaitStateAfter("reconnecting", first.acceptNanos, Duration.ofSeconds(15));
            double detection = seconds(cut.nanos() - first.acceptNanos);
            StreamerProcess.Event counted = streamer.awaitErrors("write_timeout", 1, Duration.ofSeconds(5));
            long sentOnFirst = counted.json().path("bytesSent").asLong();
            double fill = sentOnFirst / (double) BYTES_PER_SECOND;
            System.out.printf(Locale.ROOT, "[never reads] write timeout 1.0 s detected %.2f s after accept; %d bytes (%.2f s of audio)"
                    + " went into the socket buffers first; %s%n", detection, sentOnFirst, fill, cut.detail());
            assertThat(cut.detail()).as("why it reconnects\n%s", streamer.diagnostics()).contains("write timeout");
            // the write timeout counts from the moment the buffers are full: not before it, not much after
            assertThat(detection).as("seconds from accept to the write timeout\n%s", streamer.diagnostics())
                    .isBetween(1.0, 1.0 + fill + 1.0 + SLACK);

            // After a write timeout the link is reset (the FIN could never get past the unread audio).
            Poll.until(Duration.ofSeconds(3), "the receiver's end of the timed-out connection is no longer ESTABLISHED",
                    () -> FaultSockets.receiverEnd(FaultSockets.all(), receiver.port(), first.senderPort).stream()
                            .noneMatch(s -> s.state().equals("ESTAB")),
                    () -> FaultSockets.receiverEnd(FaultSockets.all(), receiver.port(), first.senderPort).toString());

            // Backoff: 2 s ±0.5 after the first failure, 4 s ±0.5 after the second (connections died young).
            double[] bases = {2, 4};
            StreamerProcess.Event failure = cut;
            for (int i = 0; i < bases.length; i++) {
                FaultReceiver.Connection next = receiver.awaitConnection(i + 2, Duration.ofSeconds(15), streamer::diagnostics);
                double announced = failure.nextAttemptSeconds();
                double waited = seconds(next.acceptNanos - failure.nanos());
                System.out.printf(Locale.ROOT, "[never reads] failure %d: next attempt announced in %.1f s, accepted %.2f s later%n",
                        i + 1, announced, waited);
                assertThat(announced).as("announced wait after failure %d", i + 1).isBetween(bases[i] - 0.5, bases[i] + 0.5);
                assertThat(waited).as("seconds from failure %d to the next connection\n%s", i + 1, streamer.diagnostics())
                        .isBetween(announced - 0.1, announced + SLACK);
                failure = streamer.awaitStateAfter("reconnecting", next.acceptNanos, Duration.ofSeconds(15));
                assertThat(failure.detail()).contains("write timeout");
            }
            streamer.awaitErrors("write_timeout", 3, Duration.ofSeconds(5));
            // never stuck: a status line every second all along, through three stalled writes
            double gap = streamer.longestStatusGapSeconds();
            System.out.printf(Locale.ROOT, "[never reads] %d status lines, longest gap %.2f s%n", streamer.statuses().size(), gap);
            assertThat(gap).as("longest time between two status lines\n%s", streamer.diagnostics()).isLessThan(2.0);
            stopAndAssertNothingLeftOpen(streamer, receiver);
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aReceiverThatResetsIsCountedAndRetriedWithBackoff() throws Exception {
        try (FaultReceiver receiver = FaultReceiver.start(LOOPBACK, 0, FaultReceiver.Mode.RESET, BYTES_PER_SECOND / 2, false);
             StreamerProcess streamer = StreamerProcess.stream("--host", "127.0.0.1", "--port", Integer.toString(receiver.port()))) {
            double[] bases = {2, 4};
            for (int i = 0; i < bases.length; i++) {
                FaultReceiver.Connection connection = receiver.awaitConnection(i + 1, Duration.ofSeconds(20), streamer::diagnostics);
                Poll.until(Duration.ofSeconds(5), "the receiver reset connection " + (i + 1), () -> connection.closedByUs,
                        streamer::diagnostics);
                long resetAt = connection.closedNanos;
                StreamerProcess.Event failure = streamer.awaitStateAfter("reconnecting", connection.acceptNanos, Duration.ofSeconds(10));
                FaultReceiver.Connection next = receiver.awaitConnection(i + 2, Duration.ofSeconds(15), streamer::diagnostics);
                double announced = failure.nextAttemptSeconds();
                double waited = seconds(next.acceptNanos - failure.nanos());
                System.out.printf(Locale.ROOT, "[resets] reset %d noticed %.3f s after it: '%s'; next attempt announced in %.1f s,"
                        + " accepted %.2f s later%n", i + 1, seconds(failure.nanos() - resetAt), failure.detail(), announced, waited);
                assertThat(failure.detail()).as("why it reconnects").containsAnyOf("connection reset", "closed by peer");
                assertThat(seconds(failure.nanos() - resetAt)).as("seconds from the reset to reconnecting").isLessThan(1.0);
                assertThat(announced).as("announced wait after reset %d", i + 1).isBetween(bases[i] - 0.5, bases[i] + 0.5);
                assertThat(waited).as("seconds from reset %d to the next connection", i + 1).isBetween(announced - 0.1, announced + SLACK);
            }
            StreamerProcess.Event last = streamer.await("two resets counted", Duration.ofSeconds(5), 1,
                    e -> e.event().equals("status") && e.errors("reset") + e.errors("closed_by_peer") >= 2);
            System.out.printf("[resets] counted: %s%n", last.json().path("errors"));
            stopAndAssertNothingLeftOpen(streamer, receiver);
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aRefusedPortIsRetriedWithBackoffAndTheListenerIsFoundWithinTheCurrentBound() throws Exception {
        int port = FaultReceiver.freePort(LOOPBACK);
        FaultReceiver receiver = null;
        try (StreamerProcess streamer = StreamerProcess.stream("--host", "127.0.0.1", "--port", Integer.toString(port))) {
            // attempts at about 0, 2, 6 s: every one refused, each announced wait 2 s, 4 s (±0.5) and growing
            streamer.awaitErrors("refused", 3, Duration.ofSeconds(20));
            List<StreamerProcess.Event> attempts = streamer.states("connecting");
            List<StreamerProcess.Event> failures = streamer.states("reconnecting");
            assertThat(failures).as("reconnecting events\n%s", streamer.diagnostics()).hasSizeGreaterThanOrEqualTo(3);
            assertThat(failures.getFirst().detail()).contains("connection refused");
            double[] bases = {2, 4};
            for (int i = 0; i < bases.length; i++) {
                double announced = failures.get(i).nextAttemptSeconds();
                double spacing = seconds(attempts.get(i + 1).nanos() - failures.get(i).nanos());
                System.out.printf(Locale.ROOT, "[refused] attempt %d refused; next announced in %.1f s, made %.2f s later%n", i + 1,
                        announced, spacing);
                assertThat(announced).isBetween(bases[i] - 0.5, bases[i] + 0.5);
                assertThat(spacing).as("spacing of attempts %d and %d\n%s", i + 1, i + 2, streamer.diagnostics())
                        .isBetween(announced - 0.1, announced + SLACK);
            }
            StreamerProcess.Event third = failures.get(2);
            double pending = third.nextAttemptSeconds();
            assertThat(pending).as("announced wait after the third refusal").isBetween(7.5, 8.5);

            // The receiver appears now; the next attempt (within the pending 8 s ±0.5 wait) finds it.
            receiver = FaultReceiver.start(LOOPBACK, port, FaultReceiver.Mode.READ, 0, false);
            long listening = System.nanoTime();
            FaultReceiver.Connection found = receiver.awaitConnection(1, Duration.ofSeconds(15), streamer::diagnostics);
            double afterFailure = seconds(found.acceptNanos - third.nanos());
            double afterListening = seconds(found.acceptNanos - listening);
            System.out.printf(Locale.ROOT, "[refused] listener up %.2f s after the third refusal; connection accepted %.2f s after it"
                    + " (%.2f s after the refusal; announced %.1f s)%n", seconds(listening - third.nanos()), afterListening,
                    afterFailure, pending);
            assertThat(afterFailure).as("seconds from the third refusal to the connection").isBetween(pending - 0.1, pending + SLACK);
            assertThat(afterListening).as("seconds from listening to the connection: within the current backoff bound")
                    .isLessThanOrEqualTo(8.5 + SLACK);
            assertThat(streamer.errors("refused")).as("refusals counted").isEqualTo(3);
            streamer.awaitStateAfter("streaming", listening, Duration.ofSeconds(5));
            Poll.until(Duration.ofSeconds(5), "audio at the receiver", () -> found.bytes() >= BYTES_PER_SECOND / 2, streamer::diagnostics);
            stopAndAssertNothingLeftOpen(streamer, receiver);
        } finally {
            if (receiver != null) {
                receiver.close();
            }
        }
    }

    /**
     * The image runs in a network namespace of its own with only loopback: the resolver of this
     * machine is not on loopback, so the lookup fails at once and no query leaves the machine.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anUnknownHostNameIsCountedAsResolveAndRetriedAndStopEndsTheBackoffWaitAtOnce() {
        Peers.requireTools("ip");
        String ns = FaultNetns.create("faultdns");
        try (StreamerProcess streamer = StreamerProcess.streamIn(ns, "--host", "no-such-host.invalid", "--port", "4953")) {
            streamer.awaitErrors("resolve", 2, Duration.ofSeconds(20));
            List<StreamerProcess.Event> failures = streamer.states("reconnecting");
            List<StreamerProcess.Event> attempts = streamer.states("connecting");
            double spacing = seconds(attempts.get(1).nanos() - failures.get(0).nanos());
            System.out.printf(Locale.ROOT, "[unknown host] '%s'; second attempt %.2f s after the first failure%n",
                    failures.getFirst().detail(), spacing);
            assertThat(failures.getFirst().detail()).as("%s", streamer.diagnostics()).contains("name resolution failed")
                    .contains("no-such-host.invalid");
            assertThat(spacing).isBetween(1.5 - 0.1, 2.5 + SLACK);
            assertThat(streamer.isAlive()).as("keeps retrying").isTrue();

            // in the middle of the 4 s wait after the second failure: stop must not wait for it
            StreamerProcess.Event second = streamer.awaitState("reconnecting", 2, Duration.ofSeconds(5));
            Poll.until(Duration.ofSeconds(3), "1 s into the second backoff wait", () -> System.nanoTime() - second.nanos() > 1_000_000_000L,
                    () -> "");
            long signalled = System.nanoTime();
            streamer.signal("INT");
            int code = streamer.awaitExit(Duration.ofSeconds(10));
            double stop = seconds(System.nanoTime() - signalled);
            System.out.printf(Locale.ROOT, "[unknown host] SIGINT during a %.1f s backoff wait: exit %d after %.2f s%n",
                    second.nextAttemptSeconds(), code, stop);
            assertThat(code).as("exit code\n%s", streamer.diagnostics()).isZero();
            assertThat(stop).as("seconds from SIGINT to exit, in a backoff wait").isLessThan(1.5);
            assertThat(streamer.states().getLast().state()).isEqualTo("stopped");
        } finally {
            FaultNetns.delete(ns);
        }
    }

    @ParameterizedTest(name = "--host {0}")
    @ValueSource(strings = {"::1", "[::1]"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void ipv6LoopbackStreams(String host) throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (FaultReceiver receiver = FaultReceiver.start(v6, FaultReceiver.Mode.READ);
             StreamerProcess streamer = StreamerProcess.stream("--host", host, "--port", Integer.toString(receiver.port()))) {
            StreamerProcess.Event streaming = streamer.awaitState("streaming", 1, Duration.ofSeconds(20));
            FaultReceiver.Connection connection = receiver.awaitConnection(1, Duration.ofSeconds(5), streamer::diagnostics);
            Poll.until(Duration.ofSeconds(10), "1 s of audio over IPv6", () -> connection.bytes() >= BYTES_PER_SECOND,
                    streamer::diagnostics);
            assertThat(streaming.detail()).isEqualTo("connected to [::1]:" + receiver.port());
            assertThat(connection.socket.getInetAddress()).isEqualTo(v6);
            System.out.printf("[ipv6 %s] %s; %d bytes received%n", host, streaming.detail(), connection.bytes());
            stopAndAssertNothingLeftOpen(streamer, receiver);
            assertThat(Poll.within(Duration.ofSeconds(2), () -> connection.eof)).as("the receiver read end of stream (FIN)").isTrue();
        }
    }

    /**
     * A stop while a write is stalled on a receiver that stopped reading: a FIN would wait behind
     * the unsent audio forever, so the receiver's end must be reset, as after a write timeout;
     * otherwise it stays ESTABLISHED (the "zombie" connection of the original, §D 1.5.8).
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aStopDuringAStalledWriteLeavesNoHalfOpenConnectionAtTheReceiver() throws Exception {
        try (FaultReceiver receiver = FaultReceiver.start(LOOPBACK, FaultReceiver.Mode.NEVER_READ);
             StreamerProcess streamer = StreamerProcess.stream("--host", "127.0.0.1", "--port", Integer.toString(receiver.port()),
                     "--set", "transport.writeTimeoutMillis=20000")) {
            FaultReceiver.Connection connection = receiver.awaitConnection(1, Duration.ofSeconds(20), streamer::diagnostics);
            awaitStalled(streamer, receiver, connection);
            long signalled = System.nanoTime();
            streamer.signal("INT");
            int code = streamer.awaitExit(Duration.ofSeconds(10));
            double stop = seconds(System.nanoTime() - signalled);
            assertThat(code).as("exit code\n%s", streamer.diagnostics()).isZero();
            assertThat(stop).as("seconds from SIGINT to exit with a write stalled (write timeout 20 s)").isLessThan(2.0);
            boolean gone = Poll.within(Duration.ofSeconds(3), () -> FaultSockets.receiverEnd(FaultSockets.all(), receiver.port(),
                    connection.senderPort).stream().noneMatch(s -> s.state().equals("ESTAB")));
            List<FaultSockets.Sock> both = sockets(receiver.port(), connection.senderPort);
            System.out.printf(Locale.ROOT, "[stalled stop] exit %d after %.2f s; 3 s later: %s%n", code, stop, both);
            assertThat(FaultSockets.senderEnds(both, receiver.port(), Set.of(connection.senderPort)))
                    .as("streamer's end").noneMatch(FaultSockets.Sock::halfOpenOrOpen);
            assertThat(gone).as("the receiver's end left ESTABLISHED (got a reset) within 3 s of the stop: %s", both).isTrue();
        }
    }

    /**
     * The README: the automatic send buffer holds about 200 ms of audio, so that a backlog waits in
     * the ring, where it is measured and dropped. Measured here from the kernel: the unacknowledged
     * bytes (ss Send-Q) of a connection whose receiver stopped reading.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theKernelHoldsAtMostAbout200MsOfAudioForAStalledReceiver() throws Exception {
        try (FaultReceiver receiver = FaultReceiver.start(LOOPBACK, FaultReceiver.Mode.NEVER_READ);
             StreamerProcess streamer = StreamerProcess.stream("--host", "127.0.0.1", "--port", Integer.toString(receiver.port()),
                     "--set", "transport.writeTimeoutMillis=20000")) {
            FaultReceiver.Connection connection = receiver.awaitConnection(1, Duration.ofSeconds(20), streamer::diagnostics);
            FaultSockets.Sock ours = awaitStalled(streamer, receiver, connection);
            double heldMillis = ours.sendQ() * 1000.0 / BYTES_PER_SECOND;
            String reported = streamer.stderr().lines().filter(l -> l.contains("sndbuf=")).findFirst().orElse("");
            System.out.printf(Locale.ROOT, "[send buffer] stalled: the kernel holds %d unsent bytes = %.0f ms of audio; the image"
                    + " reported: %s%n", ours.sendQ(), heldMillis, reported.substring(Math.max(0, reported.indexOf('('))));
            assertThat(heldMillis).as("ms of audio held unsent by the kernel (ss Send-Q %d bytes); 200 ms is %d bytes",
                    ours.sendQ(), BYTES_PER_SECOND / 5).isLessThanOrEqualTo(250);
        }
    }

    /** Wait until the writes stall: bytesSent stops growing and the kernel holds unsent audio; return our socket. */
    private static FaultSockets.Sock awaitStalled(StreamerProcess streamer, FaultReceiver receiver, FaultReceiver.Connection connection) {
        FaultSockets.Sock[] ours = new FaultSockets.Sock[1];
        Poll.until(Duration.ofSeconds(10), "writes stalled (bytesSent unchanged in two status lines, Send-Q > 0)", () -> {
            List<StreamerProcess.Event> s = streamer.statuses();
            if (s.size() < 2 || s.getLast().json().path("bytesSent").asLong() != s.get(s.size() - 2).json().path("bytesSent").asLong()
                    || s.getLast().json().path("bytesSent").asLong() == 0) {
                return false;
            }
            List<FaultSockets.Sock> mine = FaultSockets.senderEnds(FaultSockets.all(), receiver.port(), Set.of(connection.senderPort));
            ours[0] = mine.isEmpty() ? null : mine.getFirst();
            return ours[0] != null && ours[0].state().equals("ESTAB") && ours[0].sendQ() > 0;
        }, streamer::diagnostics);
        return ours[0];
    }

    private static List<FaultSockets.Sock> sockets(int receiverPort, int senderPort) {
        return FaultSockets.all().stream().filter(s -> !s.state().equals("LISTEN")
                && (s.localPort() == receiverPort || s.peerPort() == receiverPort)
                && (s.localPort() == senderPort || s.peerPort() == senderPort)).toList();
    }

    /**
     * SIGINT: exit 0 within a bound, and no socket of the image left ESTABLISHED or CLOSE-WAIT, neither
     * owned by its pid nor orphaned (by the sender ports the receiver saw).
     */
    static void stopAndAssertNothingLeftOpen(StreamerProcess streamer, FaultReceiver receiver) {
        long pid = streamer.pid();
        long signalled = System.nanoTime();
        streamer.signal("INT");
        int code = streamer.awaitExit(Duration.ofSeconds(10));
        double stop = seconds(System.nanoTime() - signalled);
        assertThat(code).as("exit code after SIGINT\n%s", streamer.diagnostics()).isZero();
        assertThat(stop).as("seconds from SIGINT to exit").isLessThan(3.0);
        Set<Integer> senderPorts = receiver.connections().stream().map(c -> c.senderPort).collect(Collectors.toSet());
        Poll.until(Duration.ofSeconds(5), "no ESTAB/CLOSE-WAIT socket of the stopped image", () -> {
            List<FaultSockets.Sock> all = FaultSockets.all();
            return FaultSockets.ownedBy(all, pid).isEmpty()
                    && FaultSockets.senderEnds(all, receiver.port(), senderPorts).stream().noneMatch(FaultSockets.Sock::halfOpenOrOpen);
        }, () -> "sender ports " + senderPorts + ": " + FaultSockets.senderEnds(FaultSockets.all(), receiver.port(), senderPorts));
        System.out.printf(Locale.ROOT, "[stop] exit %d %.2f s after SIGINT; sockets of the sender ports %s now: %s%n", code, stop,
                senderPorts, FaultSockets.senderEnds(FaultSockets.all(), receiver.port(), senderPorts));
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
