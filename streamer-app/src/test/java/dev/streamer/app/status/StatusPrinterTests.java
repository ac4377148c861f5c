package dev.streamer.app.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamer.api.spi.LinkHealth;
import dev.streamer.api.spi.TransportException.Kind;
import dev.streamer.core.StreamState;
import dev.streamer.core.StreamStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

class StatusPrinterTests {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    static StreamStatus status(LinkHealth link, StreamStatus.Quality quality) {
        return new StreamStatus(StreamState.STREAMING, "tcp://10.0.0.2:4953", "10.0.0.2:4953", "default 48000 Hz s16le stereo",
                "ethernet", Duration.ofSeconds(62), 11_900_000, 1536.04,
                new StreamStatus.Buffer(12, 3000, 2000, 6000, 60, 1, "network jitter 7.2 ms above the 5 ms band"),
                new StreamStatus.Losses(1, 2, 3, 40, 5),
                new StreamStatus.Timing(1.234, 0.021, 0.05, 1.5, 100, 0, 0, 11.2, 12.5, 13.1),
                link, quality,
                new StreamStatus.Input(-23.4, -30.1, "send", false, 0, 0),
                new StreamStatus.Sender(3, 0, false, "normal: OS applied nice 0, SCHED_OTHER"),
                2, Map.of(Kind.RESET, 1L), "connection reset: gone");
    }

    static final StreamStatus.Quality GOOD = new StreamStatus.Quality(86, "Good", Duration.ofSeconds(60), 7.04, 0, 12, 0, 0.4);

    @Test
    void theLineHasStateTargetUptimeBitrateBufferRttJitterQualityAndLevel() {
        String line = StatusPrinter.line(status(new LinkHealth(50_400, 7_040, 12, 0, 0), GOOD));
        assertThat(line).startsWith("streaming    tcp://10.0.0.2:4953  up 0:01:02  1536 kb/s  buffer 12/3000 ms  rtt 50.4±7.0 ms"
                + "  jitter 1.2 ms  Good 86  in -23 dBFS [######....]  lost 6 ms  errors 1");
        String unknown = StatusPrinter.line(status(LinkHealth.UNKNOWN, StreamStatus.Quality.NONE));
        assertThat(unknown).contains("rtt n/a").contains("quality n/a");
    }

    @Test
    void theMeterSpansMinus60To0Dbfs() {
        assertThat(StatusPrinter.meter(-120)).isEqualTo("-inf dBFS [..........]");
        assertThat(StatusPrinter.meter(-61)).isEqualTo("-61 dBFS [..........]");
        assertThat(StatusPrinter.meter(-3)).isEqualTo("-3 dBFS [##########]");
        assertThat(StatusPrinter.meter(-30)).isEqualTo("-30 dBFS [#####.....]");
    }

    @Test
    void jsonCarriesEveryMetricAndNullForWhatIsNotKnown() throws Exception {
        JsonNode known = JSON.readTree(StatusPrinter.json(status(new LinkHealth(50_400, 7_040, 12, 100, 2000), GOOD)).toString());
        for (String field : List.of("event", "state", "target", "peer", "source", "preset", "uptimeMillis", "bytesSent", "bitrateKbps",
                "bufferedMillis", "ringMillis", "bufferFillPercent", "ringMinMillis", "ringMaxMillis", "latencyTargetMillis",
                "ringResizes", "ringLastResize", "lostMillis", "deviceOverrunMillis", "ringOverflowMillis", "latencyDropMillis",
                "underrunMillis", "staleDrainMillis", "jitterMillis", "jitterBand", "writeMeanMillis", "writeP95Millis",
                "writeMaxMillis", "stalls", "stallMillis", "senderLatencyP50Millis", "senderLatencyP99Millis",
                "senderLatencyMaxMillis", "rttMillis", "rttVarMillis", "retransmits", "unackedBytes",
                "notSentBytes", "quality", "inputPeakDbfs", "inputRmsDbfs", "silence", "paused", "silentMillis", "pausedMillis",
                "senderSinceBeatMillis", "senderWriteBlockedMillis", "senderStuck", "threadPriority", "connects", "reconnects",
                "errors", "lastError")) {
            assertThat(known.has(field)).as("field %s in %s", field, known).isTrue();
        }
        assertThat(known.path("rttMillis").asDouble()).isEqualTo(50.4);
        assertThat(known.path("rttVarMillis").asDouble()).isEqualTo(7.04);
        assertThat(known.path("retransmits").asLong()).isEqualTo(12);
        assertThat(known.path("jitterBand").asString()).isEqualTo("excellent");
        assertThat(known.path("lostMillis").asLong()).as("overrun + overflow + drops; not underruns").isEqualTo(6);
        assertThat(known.path("reconnects").asLong()).isEqualTo(1);
        assertThat(known.path("errors").path("reset").asLong()).isEqualTo(1);
        assertThat(known.path("quality").path("score").asInt()).isEqualTo(86);
        assertThat(known.path("quality").path("label").asString()).isEqualTo("Good");
        assertThat(known.path("quality").path("retransmitsLastMinute").asLong()).isEqualTo(12);
        assertThat(known.path("ringLastResize").asString()).contains("jitter");

        JsonNode unknown = JSON.readTree(StatusPrinter.json(status(LinkHealth.UNKNOWN, StreamStatus.Quality.NONE)).toString());
        assertThat(unknown.get("rttMillis").isNull()).isTrue();
        assertThat(unknown.get("rttVarMillis").isNull()).isTrue();
        assertThat(unknown.get("retransmits").isNull()).isTrue();
        assertThat(unknown.path("quality").get("score").isNull()).isTrue();
        assertThat(unknown.path("quality").path("label").asString()).isEqualTo("n/a");
    }

    @Test
    void jsonModeWritesAQualityEventOncePerRating() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        StatusPrinter printer = new StatusPrinter(StatusPrinter.Mode.JSON, out, out, false);
        printer.status(status(LinkHealth.UNKNOWN, StreamStatus.Quality.NONE));
        printer.status(status(LinkHealth.UNKNOWN, GOOD));
        printer.status(status(LinkHealth.UNKNOWN, GOOD));
        printer.status(status(LinkHealth.UNKNOWN, new StreamStatus.Quality(92, "Excellent", Duration.ofSeconds(65), 1, 0, 0, 0, 0.4)));
        List<JsonNode> events = bytes.toString(StandardCharsets.UTF_8).lines().map(line -> JSON.readTree(line)).toList();
        assertThat(events).extracting(e -> e.path("event").asString())
                .containsExactly("status", "status", "quality", "status", "status", "quality");
        assertThat(events.get(2).path("score").asInt()).isEqualTo(86);
        assertThat(events.get(5).path("score").asInt()).isEqualTo(92);
        assertThat(events.get(5).path("label").asString()).isEqualTo("Excellent");
    }
}
