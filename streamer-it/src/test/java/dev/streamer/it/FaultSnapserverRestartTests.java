package dev.streamer.it;

import static dev.streamer.it.FaultReceiverTests.BYTES_PER_SECOND;
import static dev.streamer.it.FaultReceiverTests.SLACK;
import static dev.streamer.it.FaultReceiverTests.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A receiver that crashes and comes back: the stream resumes by itself within the backoff bound,
 * snapserver reports {@code playing} again, and what arrives after the reconnect is fresh audio,
 * never a burst of what was captured while the receiver was away.
 */
class FaultSnapserverRestartTests {
    /** The README's default; the image's status line says which target it really uses (latencyTargetMillis). */
    private static final int DEFAULT_LATENCY_TARGET_MILLIS = 250;
    private static final int CHUNK_MILLIS = 11; // 512 frames at 48 kHz, rounded up

    @TempDir
    Path temp;

    @BeforeAll
    static void peers() {
        Peers.launcher();
        Peers.requireTools("kill", "ss", "sox", "snapserver");
        Peers.requirePulse();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aSnapserverKilledAndRestartedGetsTheStreamBackAndPlaysAgain() throws Exception {
        try (FaultSnapserver snapserver = FaultSnapserver.start(temp.resolve("snapserver"));
             PulsePlayer tone = PulsePlayer.loop(PulsePlayer.sine(440, -6));
             StreamerProcess streamer = StreamerProcess.stream("--host", "127.0.0.1", "--port", Integer.toString(snapserver.sourcePort))) {
            streamer.awaitState("streaming", 1, Duration.ofSeconds(20));
            tone.assertPlaying();
            Poll.until(Duration.ofSeconds(10), "own snapserver's stream playing", () -> snapserver.streamStatus().equals("playing"),
                    () -> streamer.diagnostics() + snapserver.log());

            // crash
            long killed = System.nanoTime();
            snapserver.kill9();
            StreamerProcess.Event lost = streamer.awaitStateAfter("reconnecting", killed, Duration.ofSeconds(10));
            double detection = seconds(lost.nanos() - killed);
            System.out.printf(Locale.ROOT, "[snapserver kill -9] noticed %.3f s after the kill: %s%n", detection, lost.detail());
            assertThat(lost.detail()).as("why it reconnects").containsAnyOf("connection reset", "closed by peer");
            assertThat(detection).as("seconds from kill -9 to reconnecting (the next write after the reset)").isLessThan(1.0);

            // while it is down the attempts are refused, at the backoff's pace
            streamer.awaitErrors("refused", 1, Duration.ofSeconds(10));
            StreamerProcess.Event pending = streamer.states("reconnecting").getLast();
            double announced = pending.nextAttemptSeconds();

            // restart on the same ports
            snapserver.launch();
            long listening = System.nanoTime();
            StreamerProcess.Event back = streamer.awaitStateAfter("streaming", lost.nanos(), Duration.ofSeconds(15));
            StreamerProcess.Event attempt = streamer.states("connecting").stream().filter(e -> e.nanos() > pending.nanos()).findFirst()
                    .orElseThrow();
            double afterFailure = seconds(attempt.nanos() - pending.nanos());
            double afterListening = seconds(back.nanos() - listening);
            System.out.printf(Locale.ROOT, "[snapserver restart] refused attempts: %d; listening again %.2f s after the last refusal"
                            + " (next attempt announced in %.1f s); attempt %.2f s after the refusal, streaming %.2f s after listening%n",
                    streamer.errors("refused"), seconds(listening - pending.nanos()), announced, afterFailure, afterListening);
            assertThat(afterFailure).as("seconds from the last refusal to the next attempt\n%s", streamer.diagnostics())
                    .isBetween(announced - 0.1, announced + SLACK);
            assertThat(afterListening).as("seconds from snapserver listening to streaming: within the current backoff bound")
                    .isLessThanOrEqualTo(announced + 0.5 + SLACK);
            long playingSince = System.nanoTime();
            Poll.until(Duration.ofSeconds(10), "own snapserver's stream playing again", () -> snapserver.streamStatus().equals("playing"),
                    () -> streamer.diagnostics() + snapserver.log());
            System.out.printf(Locale.ROOT, "[snapserver restart] playing again %.2f s after streaming resumed%n",
                    seconds(System.nanoTime() - back.nanos()));
            assertThat(seconds(System.nanoTime() - playingSince)).isLessThan(10);
            StreamerProcess.Event reconnected = streamer.await("a status line after the reconnect", Duration.ofSeconds(5), 1,
                    e -> e.event().equals("status") && e.nanos() > back.nanos());
            assertThat(reconnected.json().path("connects").asLong()).as("connections made").isEqualTo(2);

            // stop: FIN to snapserver, its stream goes idle, nothing of ours left open
            streamer.signal("INT");
            assertThat(streamer.awaitExit(Duration.ofSeconds(10))).as("exit code\n%s", streamer.diagnostics()).isZero();
            Poll.until(Duration.ofSeconds(10), "own snapserver's stream idle after the stop", () -> snapserver.streamStatus().equals("idle"),
                    snapserver::log);
            Poll.until(Duration.ofSeconds(5), "no ESTAB/CLOSE-WAIT socket of the image towards snapserver's source", () ->
                            FaultSockets.all().stream().filter(s -> s.peerPort() == snapserver.sourcePort && !s.state().equals("LISTEN"))
                                    .noneMatch(FaultSockets.Sock::halfOpenOrOpen),
                    () -> FaultSockets.all().stream().filter(s -> s.peerPort() == snapserver.sourcePort).toList().toString());
        }
    }

    /**
     * A receiver goes away for 5 s and comes back while a known, never-repeating signal plays into
     * the sink. Where the first audio after the reconnect sits in that signal tells its age: it
     * must be at most the latency target (plus a chunk and a margin) behind the audio being
     * captured at that moment, and the first 500 ms must not bring more than 500 ms + the latency
     * target of audio.
     */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void onlyFreshAudioArrivesAfterAReconnect() throws Exception {
        SinkWatch.retryWhileDisturbed("fresh audio after reconnect", 3, this::freshAudioOnce);
    }

    private void freshAudioOnce() throws Exception {
        byte[] sequence = Pcm.noise(0xfa17_5eedL + System.nanoTime(), PulsePlayer.RATE * 18);
        try (FaultReceiver receiver = FaultReceiver.start(InetAddress.getLoopbackAddress(), 0, FaultReceiver.Mode.READ, 0, true);
             StreamerProcess streamer = StreamerProcess.stream("--host", "127.0.0.1", "--port", Integer.toString(receiver.port()))) {
            FaultReceiver.Connection before = receiver.awaitConnection(1, Duration.ofSeconds(20), streamer::diagnostics);
            Poll.until(Duration.ofSeconds(10), "audio flowing", () -> before.bytes() >= BYTES_PER_SECOND / 2, streamer::diagnostics);
            try (PulsePlayer player = PulsePlayer.once(sequence)) {
                long playFrom = before.bytes();
                Poll.until(Duration.ofSeconds(15), "3.5 s of the signal received", () -> before.bytes() - playFrom >= BYTES_PER_SECOND * 7L / 2,
                        streamer::diagnostics);

                receiver.goAway(); // FIN, and connects are refused from now on
                long cut = before.closedNanos;
                StreamerProcess.Event lost = streamer.awaitStateAfter("reconnecting", cut, Duration.ofSeconds(5));
                Poll.within(Duration.ofSeconds(10), () -> System.nanoTime() - cut >= 5_000_000_000L); // away for 5 s
                receiver.comeBack();
                FaultReceiver.Connection after = receiver.awaitConnection(2, Duration.ofSeconds(15), streamer::diagnostics);
                Poll.until(Duration.ofSeconds(10), "2 s after the reconnect", () -> System.nanoTime() - after.acceptNanos >= 2_000_000_000L
                        && after.bytes() >= BYTES_PER_SECOND, streamer::diagnostics);
                StreamerProcess.Event status = streamer.lastStatus();
                int target = status.json().path("latencyTargetMillis").asInt(DEFAULT_LATENCY_TARGET_MILLIS);
                player.assertPlaying();

                byte[] first = before.data();
                byte[] second = after.data();
                int key = 64 * PulsePlayer.FRAME_BYTES;
                int endKeyAt = first.length - first.length % PulsePlayer.FRAME_BYTES - key;
                int endInSequence = Pcm.indexOf(sequence, sequence.length, first, endKeyAt, key, PulsePlayer.FRAME_BYTES, 0);
                int firstInSequence = Pcm.indexOf(sequence, sequence.length, second, 0, key, PulsePlayer.FRAME_BYTES, 0);
                assertThat(endInSequence).as("the last audio before the cut found in the signal").isNotNegative();
                assertThat(firstInSequence).as("the first audio after the reconnect found in the signal").isNotNegative();
                long lastBefore = before.lastByteNanos();
                double away = seconds(after.acceptNanos - lastBefore);
                // the signal position being captured when the receiver accepted again, and the age of what came first
                double capturedNow = (endInSequence + key) / (double) BYTES_PER_SECOND + away;
                double firstAt = firstInSequence / (double) BYTES_PER_SECOND;
                double age = capturedNow - firstAt;
                long inFirstHalfSecond = after.bytesBy(after.acceptNanos + 500_000_000L);
                double firstHalfSecondAudio = inFirstHalfSecond / (double) BYTES_PER_SECOND;
                int contiguous = Pcm.matchingBytes(sequence, firstInSequence, sequence.length, second, 0, second.length);
                System.out.printf(Locale.ROOT, "[fresh audio] cut -> reconnecting %.3f s (%s); away %.2f s; first audio after the"
                                + " reconnect is %.0f ms old (latency target %d ms + chunk + 150 ms); first 500 ms brought %.0f ms of audio"
                                + " (bound %d ms); then %.2f s contiguous; staleDrainMillis %d%n", seconds(lost.nanos() - cut),
                        lost.detail().replaceAll(";.*", ""), away, age * 1000, target, firstHalfSecondAudio * 1000,
                        500 + target + 100, contiguous / (double) BYTES_PER_SECOND,
                        status.json().path("staleDrainMillis").asLong());
                assertThat(age).as("seconds between the audio captured at the reconnect and the first audio sent after it")
                        .isBetween(-0.1, (target + CHUNK_MILLIS + 150) / 1000.0);
                assertThat(firstHalfSecondAudio).as("seconds of audio received in the first 500 ms after the reconnect")
                        .isBetween(0.2, (500 + target + 100) / 1000.0);
                assertThat(contiguous).as("bytes of the signal received unchanged from the first one after the reconnect")
                        .isGreaterThanOrEqualTo(BYTES_PER_SECOND);
                assertThat(status.json().path("staleDrainMillis").asLong()).as("stale audio discarded (and counted) while away, ms")
                        .isGreaterThanOrEqualTo((long) ((away - 1.0) * 1000));
            }
            streamer.signal("INT");
            assertThat(streamer.awaitExit(Duration.ofSeconds(10))).isZero();
        }
    }
}
