package dev.streamer.core;

import static dev.streamer.core.StreamState.PAUSED;
import static dev.streamer.core.StreamState.RECONNECTING;
import static dev.streamer.core.StreamState.STREAMING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.LinkHealth;
import dev.streamer.api.spi.TransportException.Kind;
import dev.streamer.testkit.RecordingLogger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

/** The engine's metrics, silence policy, adaptive ring and watchdog, with fake plugins in real time. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineMetricsTests {
    private static final PcmFormat WIRE = PcmFormat.DEFAULT_WIRE;
    private static final ReconnectPolicy FAST =
            new ReconnectPolicy(Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofMillis(5), Duration.ofSeconds(10));
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final List<Engine> engines = new ArrayList<>();

    @AfterEach
    void stopEngines() {
        engines.forEach(Engine::stop);
    }

    private Engine engine(EngineConfig config, FakeSource source, FakeTransport transport, EngineTests.Recorder recorder) {
        Engine engine = Engine.builder(config, source, transport)
                .listener(recorder)
                .random(new SplittableRandom(1))
                .statusInterval(Duration.ofMillis(20))
                .qualityInterval(Duration.ofMillis(200))
                .build();
        engines.add(engine);
        return engine;
    }

    /** A paced source of 16-bit stereo frames at a level that can change while it runs. */
    static final class LevelSource {
        volatile int amplitude;
        final FakeSource source = new FakeSource(WIRE, (index, buffer, at) -> {
            int sample = index % 2 == 0 ? amplitude : -amplitude;
            for (int channel = 0; channel < 2; channel++) {
                buffer[at + 2 * channel] = (byte) sample;
                buffer[at + 2 * channel + 1] = (byte) (sample >> 8);
            }
        }, true, -1);
    }

    // ---- silence policy ------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = FakeTransport.Writes.class, names = {"WAITING", "NOW"})
    void pauseStopsWritingAfterTheSilentTimeKeepsTheConnectionAndResumesAtTheFirstSound(FakeTransport.Writes writes) throws Exception {
        LevelSource input = new LevelSource();
        input.amplitude = 10_000; // -10.3 dBFS
        FakeTransport transport = new FakeTransport(writes);
        EngineTests.Recorder recorder = new EngineTests.Recorder();
        EngineConfig config = new EngineConfig(WIRE, 512, 2000, 100, FAST)
                .withSilence(new SilencePolicy(SilencePolicy.Mode.PAUSE, Duration.ofMillis(500), -60));
        Engine engine = engine(config, input.source, transport, recorder);

        engine.start();
        await("loud audio sent", () -> transport.writeSizes().size() >= 20);
        assertThat(engine.status().input().peakDbfs()).isBetween(-10.5, -10.0);
        input.amplitude = 10; // -70 dBFS
        long quiet = System.nanoTime();
        await("paused", () -> engine.state() == PAUSED);
        long pausedAfter = (System.nanoTime() - quiet) / 1_000_000;
        int writesWhenPaused = transport.writeSizes().size();
        long underrunWhenPaused = engine.status().losses().underrunMillis();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(600));
        StreamStatus paused = engine.status();
        assertThat(transport.writeSizes().size()).as("nothing written while paused").isEqualTo(writesWhenPaused);
        assertThat(transport.link(1).closed).as("the connection stays open").isFalse();
        assertThat(transport.links).hasSize(1);
        assertThat(paused.input().paused()).isTrue();
        assertThat(paused.input().silentMillis()).isGreaterThanOrEqualTo(1000);
        assertThat(paused.input().pausedMillis()).isGreaterThanOrEqualTo(500);
        assertThat(paused.input().peakDbfs()).isBetween(-70.5, -69.5);
        assertThat(pausedAfter).as("paused after the silent time").isGreaterThanOrEqualTo(500);
        assertThat(paused.losses().underrunMillis()).as("a pause is no underrun").isEqualTo(underrunWhenPaused);

        input.amplitude = 10_000;
        long loud = System.nanoTime();
        await("resumed", () -> engine.state() == STREAMING && transport.writeSizes().size() > writesWhenPaused);
        long resumedAfter = (System.nanoTime() - loud) / 1_000_000;
        engine.stop();

        assertThat(resumedAfter).as("resumes at once: within a chunk and a capture period or two").isLessThan(200);
        assertThat(recorder.states).containsSubsequence(STREAMING, PAUSED, STREAMING);
        int last = recorder.states.lastIndexOf(STREAMING);
        assertThat(recorder.details.get(last)).startsWith("sound returned");
        assertThat(recorder.details.get(recorder.states.indexOf(PAUSED))).contains("-60 dBFS").contains("connection stays open");
    }

    @ParameterizedTest
    @EnumSource(value = FakeTransport.Writes.class, names = {"WAITING", "NOW"})
    void aListenerStuckOnAPauseHoldsUpTheSendingButNeverTheCapture(FakeTransport.Writes writes) throws Exception {
        LevelSource input = new LevelSource();
        input.amplitude = 10; // -70 dBFS from the start
        EngineTests.Recorder recorder = new EngineTests.Recorder();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EngineListener stuck = new EngineListener() {
            @Override
            public void stateChanged(StreamState state, String detail) {
                recorder.stateChanged(state, detail);
                if (state == PAUSED) {
                    entered.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS); // like a status line on a terminal nobody reads
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        FakeTransport transport = new FakeTransport(writes);
        EngineConfig config = new EngineConfig(WIRE, 512, 2000, 100, FAST)
                .withSilence(new SilencePolicy(SilencePolicy.Mode.PAUSE, Duration.ofMillis(200), -60));
        Engine engine = Engine.builder(config, input.source, transport).listener(stuck).random(new SplittableRandom(1)).build();
        engines.add(engine);

        engine.start();
        assertThat(entered.await(20, TimeUnit.SECONDS)).as("the pause was announced").isTrue();
        int readsThen = input.source.reads.get();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300)); // 28 chunks of 10.7 ms
        int readsWhileStuck = input.source.reads.get() - readsThen;
        input.amplitude = 10_000;
        release.countDown();
        await("resumed", () -> recorder.states.lastIndexOf(STREAMING) > recorder.states.indexOf(PAUSED));
        engine.stop();

        assertThat(readsWhileStuck).as("the capture thread read on while the listener was stuck").isGreaterThan(10);
    }

    @Test
    void audioTheSourceLostIsLoggedByTheStatusThreadNotTheCaptureThread() throws Exception {
        FakeSource source = FakeSource.counting(WIRE);
        FakeTransport transport = new FakeTransport(FakeTransport.Writes.NOW);
        RecordingLogger log = new RecordingLogger();
        Engine engine = Engine.builder(EngineConfig.DEFAULT, source, transport).logger(log).statusInterval(Duration.ofMillis(20)).build();
        engines.add(engine);

        engine.start();
        await("streaming", () -> transport.writeSizes().size() >= 5);
        source.overrunFrames = WIRE.sampleRate() / 10; // 100 ms lost at once
        await("the loss logged", () -> !log.at(System.Logger.Level.WARNING).isEmpty());
        source.overrunFrames += WIRE.sampleRate() / 20; // 50 ms more within 5 s: counted now, logged later
        await("the loss counted", () -> engine.status().losses().deviceOverrunMillis() == 150);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // five status ticks
        engine.stop();

        assertThat(log.at(System.Logger.Level.WARNING)).singleElement().asString()
                .startsWith("the source lost 100 ms of audio that was not read in time (100 ms since the start)")
                .endsWith(source.describe());
        int line = log.lines.indexOf("WARNING " + log.at(System.Logger.Level.WARNING).getFirst());
        assertThat(log.threads.get(line)).isEqualTo("streamer-status");
    }

    @Test
    void sendModeKeepsSendingSilence() throws Exception {
        LevelSource input = new LevelSource();
        input.amplitude = 0;
        FakeTransport transport = new FakeTransport();
        EngineConfig config = new EngineConfig(WIRE, 512, 2000, 100, FAST); // silence: send
        Engine engine = engine(config, input.source, transport, new EngineTests.Recorder());

        engine.start();
        await("a second of silence sent", () -> transport.writeSizes().size() >= 94);
        StreamStatus status = engine.status();
        assertThat(status.state()).isEqualTo(STREAMING);
        assertThat(status.input().peakDbfs()).isEqualTo(-120);
        assertThat(status.input().silentMillis()).isGreaterThanOrEqualTo(900);
        assertThat(status.input().paused()).isFalse();
    }

    // ---- watchdog ------------------------------------------------------------------------------

    @Test
    void aReconnectingSenderKeepsBeatingButOneStuckInAWriteIsReportedAndRecovers() throws Exception {
        FakeSource source = FakeSource.counting(WIRE);
        FakeTransport transport = new FakeTransport();
        transport.openFailures.addAll(List.of(Kind.REFUSED, Kind.REFUSED, Kind.REFUSED));
        // a heartbeat of 1 s: stuck after 2 s without a beat
        EngineConfig config = new EngineConfig(WIRE, 512, 2000, 100,
                new ReconnectPolicy(Duration.ofMillis(1500), Duration.ofSeconds(3), Duration.ZERO, Duration.ofSeconds(10)))
                .withHeartbeat(Duration.ofSeconds(1));
        Engine engine = engine(config, source, transport, new EngineTests.Recorder());

        engine.start();
        // disconnected for 1.5 + 3 + 3 s: longer than two heartbeats, never stuck
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4000);
        while (System.nanoTime() < until) {
            StreamStatus status = engine.status();
            assertThat(status.sender().stuck()).as("while %s", status.state()).isFalse();
            assertThat(status.sender().sinceBeatMillis()).isLessThan(500);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        assertThat(engine.state()).isIn(RECONNECTING, StreamState.CONNECTING);

        await("streaming", () -> engine.state() == STREAMING && transport.writeSizes().size() >= 5);
        transport.holdWrites(true);
        await("the watchdog finds the sender stuck", () -> engine.status().sender().stuck());
        StreamStatus stuck = engine.status();
        assertThat(stuck.sender().writeBlockedMillis()).isGreaterThanOrEqualTo(2000);
        assertThat(stuck.state()).as("stuck is not disconnected").isEqualTo(STREAMING);
        transport.holdWrites(false);
        await("the watchdog sees it run again", () -> !engine.status().sender().stuck());
        assertThat(engine.status().sender().writeBlockedMillis()).isLessThan(1000);
    }

    // ---- adaptive ring -------------------------------------------------------------------------

    @Test
    void aStallGrowsTheRingAtOnceAndAStablePeriodShrinksItAgain() throws Exception {
        FakeSource source = FakeSource.counting(WIRE);
        FakeTransport transport = new FakeTransport();
        Engine engine = streamingWithAdaptiveRing(source, transport);
        assertThat(engine.status().ringMillis()).isEqualTo(2000);
        transport.holdWrites(true);
        await("grown to the maximum during the stall", () -> engine.status().ringMillis() == 6000);
        StreamStatus grown = engine.status();
        assertThat(grown.buffer().resizes()).isEqualTo(3); // 3000, 4500, 6000
        assertThat(grown.buffer().lastResize()).startsWith("a write stalled for ");
        // the ring now holds more than the 2 s it started with, without losing anything
        await("more than 2 s held", () -> engine.status().bufferedMillis() > 2200);
        assertThat(engine.status().ringOverflowMillis()).isZero();
        transport.holdWrites(false);

        // a second without trouble: a tenth less (the unit tests follow it down to the minimum)
        await("shrunk after a stable period", () -> engine.status().buffer().lastResize().startsWith("stable for "));
        StreamStatus shrunk = engine.status();
        assertThat(shrunk.ringMillis()).isLessThanOrEqualTo(5400);
        engine.stop();
        assertThat(engine.status().ringOverflowMillis()).isZero();
    }

    @Test
    void aSourceThatFallsSilentLeavesTheRingAsItIs() throws Exception {
        FakeSource source = FakeSource.counting(WIRE);
        Engine engine = streamingWithAdaptiveRing(source, new FakeTransport());
        source.mode = FakeSource.Mode.SILENT; // the device delivers nothing: the sender starves
        long underrunBefore = engine.status().losses().underrunMillis();
        await("two status ticks of underrun", () -> engine.status().losses().underrunMillis() - underrunBefore > 1500);
        StreamStatus starved = engine.status();
        engine.stop();
        // a larger ring would hold no audio that never came: an underrun is not the network's trouble
        assertThat(starved.ringMillis()).isEqualTo(2000);
        assertThat(starved.buffer().resizes()).isZero();
    }

    /** A started engine, streaming, whose ring may move from 2 to 6 s, stable after a second. */
    private Engine streamingWithAdaptiveRing(FakeSource source, FakeTransport transport) throws Exception {
        EngineConfig config = new EngineConfig(WIRE, 512, 2000, 100, FAST)
                .withAdaptive(new AdaptivePolicy(2000, 6000, 1000, Duration.ofSeconds(1), Duration.ofMillis(300)));
        Engine engine = engine(config, source, transport, new EngineTests.Recorder());
        engine.start();
        await("streaming", () -> transport.writeSizes().size() >= 10);
        return engine;
    }

    // ---- link health, quality, write latency, underruns ----------------------------------------

    @Test
    void rttComesFromTheLinkOrIsUnknownAndTheQualityFollowsTheNetworkJitter() throws Exception {
        FakeSource source = FakeSource.counting(WIRE);
        FakeTransport transport = new FakeTransport();
        Engine engine = engine(new EngineConfig(WIRE, 512, 2000, 100, FAST), source, transport, new EngineTests.Recorder());

        engine.start();
        await("rated", () -> engine.status().quality().rated());
        StreamStatus unknown = engine.status();
        assertThat(unknown.link().hasRtt()).as("no RTT is made up").isFalse();
        assertThat(unknown.quality().score()).as("%s", unknown.quality()).isGreaterThanOrEqualTo(90);
        assertThat(unknown.quality().label()).isEqualTo("Excellent");

        transport.health = new LinkHealth(52_000, 8_000, 9, 0, 0); // rtt 52 ms, rttvar 8 ms, 9 retransmissions
        // the RTT variance is averaged over about 5 s (here: status every 20 ms, a rating every 200 ms)
        await("rated with the RTT variance", () -> engine.status().quality().jitterMillis() >= 7.9);
        StreamStatus known = engine.status();
        assertThat(known.link().rttMicros()).isEqualTo(52_000);
        assertThat(known.link().rttVarianceMicros()).isEqualTo(8_000);
        assertThat(known.quality().retransmits()).isEqualTo(9);
        assertThat(known.quality().label()).as("%s", known.quality()).isEqualTo("Good");
        assertThat(known.quality().score()).isBetween(76, 79); // 100 - 2 x 8 - 5 log10(1 + 9), minus any loss
        engine.stop();
        assertThat(engine.status().link()).as("not connected: nothing known").isEqualTo(LinkHealth.UNKNOWN);
    }

    @Test
    void writeLatencyIsTheTimeInsideEachWrite() throws Exception {
        FakeSource source = FakeSource.counting(WIRE);
        FakeTransport transport = new FakeTransport();
        transport.onWrite = (link, chunk) -> LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3));
        Engine engine = engine(new EngineConfig(WIRE, 512, 2000, 100, FAST), source, transport, new EngineTests.Recorder());

        engine.start();
        await("100 writes", () -> transport.writeSizes().size() >= 110);
        StreamStatus.Timing timing = engine.status().timing();
        engine.stop();
        assertThat(timing.writeSamples()).isEqualTo(100);
        assertThat(timing.writeMeanMillis()).isBetween(3.0, 8.0);
        assertThat(timing.writeP95Millis()).isBetween(3.0, timing.writeMaxMillis());
        assertThat(timing.jitterMillis()).as("paced source, prompt link").isLessThan(5);
    }

    @ParameterizedTest
    @EnumSource(value = FakeTransport.Writes.class, names = {"WAITING", "NOW"})
    void underrunsCountOnlyTheTimeTheSenderStarvedBeyondTwoChunks(FakeTransport.Writes writes) throws Exception {
        FakeSource source = FakeSource.counting(WIRE);
        FakeTransport transport = new FakeTransport(writes);
        Engine engine = engine(new EngineConfig(WIRE, 512, 2000, 100, FAST), source, transport, new EngineTests.Recorder());

        engine.start();
        await("a second of audio", () -> transport.writeSizes().size() >= 94);
        long before = engine.status().losses().underrunMillis();
        source.mode = FakeSource.Mode.SILENT; // the device delivers nothing
        long starved = System.nanoTime();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(600));
        long underrun = engine.status().losses().underrunMillis() - before;
        long elapsed = (System.nanoTime() - starved) / 1_000_000;
        engine.stop();
        // waiting for each chunk is normal: counting every wait would give about 1000 ms here (only a
        // loaded machine makes the capture thread late by more than a chunk)
        assertThat(before).as("a device that keeps pace causes (almost) no underrun").isLessThan(300);
        // starved for `elapsed` ms (plus up to a chunk it had already waited for when the source
        // fell silent), of which the first two chunks (21 ms) are the normal wait; the sender
        // accounts at least every 100 ms
        assertThat(underrun).isBetween(elapsed - 21 - 300, elapsed - 21 + 11);
    }

    @Test
    void highPriorityIsReportedAsWhatTheOsApplied() throws Exception {
        FakeSource source = FakeSource.counting(WIRE);
        FakeTransport transport = new FakeTransport();
        EngineConfig config = new EngineConfig(WIRE, 512, 2000, 100, FAST).withThreadPriority(ThreadPriority.HIGH);
        Engine engine = engine(config, source, transport, new EngineTests.Recorder());

        engine.start();
        await("reported", () -> engine.status().sender().threadPriority().contains(":")
                || engine.status().sender().threadPriority().contains("does not say"));
        String applied = engine.status().sender().threadPriority();
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertThat(applied).startsWith("high: OS applied nice ");
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }
}
