package dev.streamer.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * The image against the simplest receiver there is: a socket that reads everything. A known,
 * non-periodic PCM sequence played into the null sink must arrive unchanged, byte for byte.
 */
class PlainReceiverEndToEndTests {
    private static final int BYTES_PER_SECOND = PulsePlayer.RATE * PulsePlayer.FRAME_BYTES; // 48000:16:2 = 192000

    @BeforeAll
    static void peers() {
        Peers.launcher();
        Peers.requireTools("kill");
        Peers.requirePulse();
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aKnownPcmSequenceArrivesByteExactAndTheStopEndsWithFin() throws Exception {
        SinkWatch.retryWhileDisturbed("plain receiver", 3, this::streamTheSequenceOnce);
    }

    private void streamTheSequenceOnce() throws Exception {
        // PulseAudio replaces the first few ms of a new playback stream into a running sink with
        // silence (measured: ~220 frames lost with pacat, the rest bit-exact). So the sequence
        // starts with a lead-in that may be lost, and the check aligns on the first frames of the body.
        byte[] leadIn = Pcm.noise(0x5eed_1eadL, PulsePlayer.RATE * 3 / 10);
        byte[] body = Pcm.noise(0x5eed_b0d7L, PulsePlayer.RATE * 3);
        byte[] sequence = new byte[leadIn.length + body.length];
        System.arraycopy(leadIn, 0, sequence, 0, leadIn.length);
        System.arraycopy(body, 0, sequence, leadIn.length, body.length);

        byte[] received;
        JsonNode last;
        try (LoopbackReceiver receiver = LoopbackReceiver.start();
             StreamerProcess streamer = StreamerProcess.start("stream", "--host", "127.0.0.1", "--port",
                     Integer.toString(receiver.port()), "--status", "json")) {
            streamer.awaitState("streaming", Duration.ofSeconds(20));
            // the capture runs (silence from the idle sink) before the sequence is played
            receiver.awaitBytes(BYTES_PER_SECOND / 2, Duration.ofSeconds(10), streamer::diagnostics);
            long startNanos = System.nanoTime();
            long startBytes = receiver.count();
            try (PulsePlayer player = PulsePlayer.once(sequence)) {
                player.awaitDone(Duration.ofSeconds(30));
            }
            // pacat returns when PulseAudio played the sequence; give capture and ring a second to pass it on
            receiver.awaitBytes(receiver.count() + BYTES_PER_SECOND, Duration.ofSeconds(10), streamer::diagnostics);
            long bytes = receiver.count() - startBytes;
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            double throughput = bytes / seconds;
            System.out.printf(Locale.ROOT, "[plain receiver] %d bytes in %.2f s: %.0f B/s (48000:16:2 is %d B/s)%n",
                    bytes, seconds, throughput, BYTES_PER_SECOND);
            assertThat(throughput).as("throughput in bytes per second").isBetween(0.8 * BYTES_PER_SECOND, 1.2 * BYTES_PER_SECOND);

            streamer.signal("INT");
            assertThat(streamer.awaitExit(Duration.ofSeconds(10))).as("exit code after SIGINT\n%s", streamer.diagnostics()).isZero();
            assertThat(receiver.awaitEof(Duration.ofSeconds(5))).as("the receiver read end of stream (FIN)").isTrue();
            received = receiver.bytes();

            List<StreamerProcess.Event> states = streamer.states();
            assertThat(states.getLast().path("state").asString()).as("last state\n%s", streamer.diagnostics()).isEqualTo("stopped");
            last = streamer.statuses().getLast().json();
            assertThat(last.path("state").asString()).isEqualTo("stopped");
            assertThat(last.path("bytesSent").asLong()).as("bytesSent of the last status = bytes the receiver got")
                    .isEqualTo(received.length);
        }

        assertThat(received.length % PulsePlayer.FRAME_BYTES).as("received %d bytes: a whole number of frames", received.length).isZero();
        int keyLength = 32 * PulsePlayer.FRAME_BYTES;
        int at = Pcm.indexOf(received, received.length, body, 0, keyLength, 1, 0);
        assertThat(at).as("the first 32 frames of the sequence's body among the %d bytes received", received.length)
                .isNotNegative();
        assertThat(at % PulsePlayer.FRAME_BYTES).as("offset %d of the body: frame-aligned (channels not swapped, no byte lost)", at)
                .isZero();
        int matching = Pcm.matchingBytes(body, 0, body.length, received, at, received.length);
        String losses = String.format(Locale.ROOT, "streamer's own count of lost audio: device overrun %d ms, ring overflow %d ms,"
                        + " latency drop %d ms, stale drain %d ms", last.path("deviceOverrunMillis").asLong(),
                last.path("ringOverflowMillis").asLong(), last.path("latencyDropMillis").asLong(), last.path("staleDrainMillis").asLong());
        System.out.printf(Locale.ROOT, "[plain receiver] body found at byte %d; %d of its %d bytes (%.2f s) match exactly; %s%n",
                at, matching, body.length, matching / (double) BYTES_PER_SECOND, losses);
        if (matching < body.length) {
            System.out.printf("[plain receiver] where the body's 25 ms blocks are in what was received:%n%s%n",
                    Pcm.alignment(body, received, BYTES_PER_SECOND / 40, PulsePlayer.FRAME_BYTES));
        }
        assertThat(matching).as("bytes of the body that arrived unchanged, from its first frame (%d bytes = 1 s); %s",
                BYTES_PER_SECOND, losses).isGreaterThanOrEqualTo(BYTES_PER_SECOND);
    }
}
