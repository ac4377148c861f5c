package dev.streamer.core;

import static dev.streamer.core.StreamState.CONNECTING;
import static dev.streamer.core.StreamState.RECONNECTING;
import static dev.streamer.core.StreamState.STREAMING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.SampleEncoding;
import dev.streamer.api.spi.SourceException;
import dev.streamer.api.spi.TransportException.Kind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine with fake plugins: no network, no sound card. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineTests {
    private static final long SEED = Long.getLong("streamer.test.seed", 0x5EED_E461L);
    private static final PcmFormat WIRE = PcmFormat.DEFAULT_WIRE; // 48 kHz s16le stereo: 4-byte frames
    private static final int FRAME = 4;
    /** Short waits in real time, for tests about something else than the backoff. */
    private static final ReconnectPolicy FAST =
            new ReconnectPolicy(Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofMillis(5), Duration.ofSeconds(10));
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final List<Engine> engines = new ArrayList<>();

    @AfterEach
    void stopEngines() {
        engines.forEach(Engine::stop);
    }

    /** Records what the engine tells its listener. */
    static final class Recorder implements EngineListener {
        final List<StreamState> states = new CopyOnWriteArrayList<>();
        final List<String> details = new CopyOnWriteArrayList<>();
        final List<StreamStatus> statuses = new CopyOnWriteArrayList<>();

        @Override
        public void stateChanged(StreamState state, String detail) {
            states.add(state);
            details.add(detail);
        }

        @Override
        public void status(StreamStatus status) {
            statuses.add(status);
        }

        StreamState lastState() {
            return states.getLast();
        }

        String lastDetail() {
            return details.getLast();
        }
    }

    private Engine engine(EngineConfig config, FakeSource source, FakeTransport transport, Recorder recorder, LongSupplier clock) {
        System.out.println("EngineTests seed=" + SEED);
        Engine engine = Engine.builder(config, source, transport)
                .listener(recorder)
                .nanoClock(clock)
                .random(new SplittableRandom(SEED))
                .statusInterval(Duration.ofMillis(20))
                .build();
        engines.add(engine);
        return engine;
    }

    private Engine engine(EngineConfig config, FakeSource source, FakeTransport transport, Recorder recorder) {
        return engine(config, source, transport, recorder, System::nanoTime);
    }

    /** A monotonic clock that runs a thousand times faster than real time: a 60 s backoff lasts 60 ms. */
    private static LongSupplier fastClock() {
        long base = System.nanoTime();
        return () -> base + (System.nanoTime() - base) * 1000;
    }

    // ---- data path ---------------------------------------------------------------------------

    @Test
    void aSourceThatEndsWhileTheReceiverIsAwayStopsTheEngineWithoutWaitingForTheNextAttempt() throws Exception {
        FakeSource source = new FakeSource(WIRE, FakeSource::counter, true, 48_000); // 1 s, paced
        FakeTransport transport = new FakeTransport();
        transport.failAlways = Kind.REFUSED;
        Recorder recorder = new Recorder();
        // waits of a minute: only the end of the source can end this engine soon
        ReconnectPolicy patient = new ReconnectPolicy(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ZERO, Duration.ofSeconds(10));
        Engine engine = engine(new EngineConfig(WIRE, 512, 2_000, 60, patient), source, transport, recorder);

        engine.start();

        assertThat(engine.awaitTermination(PATIENCE)).as("stopped by itself, long before the next attempt").isTrue();
        assertThat(engine.state()).isEqualTo(StreamState.STOPPED);
        assertThat(recorder.lastDetail()).isEqualTo("the source ended");
        assertThat(transport.attempts.get()).as("no attempt after the source ended").isEqualTo(1);
        assertThat(source.closed).isTrue();
    }

    @ParameterizedTest
    @EnumSource(FakeTransport.Writes.class)
    void everyByteReachesTheLinkInOrderAndTheEngineStopsWhenTheSourceEnds(FakeTransport.Writes writes) throws Exception {
        int total = 72_123; // not a whole number of chunks; 1.5 s
        FakeSource source = new FakeSource(WIRE, FakeSource::counter, true, total); // paced: sent while it is read
        FakeTransport transport = new FakeTransport(writes);
        Recorder recorder = new Recorder();
        // ring and latency target larger than the whole stream: nothing may be dropped
        Engine engine = engine(new EngineConfig(WIRE, 512, 10_000, 10_000, FAST), source, transport, recorder);

        engine.start();

        assertThat(engine.awaitTermination(PATIENCE)).as("stopped by itself").isTrue();
        assertThat(engine.state()).isEqualTo(StreamState.STOPPED);
        assertThat(engine.failure()).isEmpty();
        assertThat(recorder.lastState()).isEqualTo(StreamState.STOPPED);
        assertThat(recorder.lastDetail()).isEqualTo("the source ended");
        assertThat(source.preferred).isEqualTo(WIRE);
        assertThat(source.periodFrames).isEqualTo(512); // one chunk: 10.7 ms at 48 kHz
        assertThat(transport.openedFormat).isEqualTo(WIRE);

        byte[] expected = new byte[total * FRAME];
        for (int i = 0; i < total; i++) {
            FakeSource.counter(i, expected, i * FRAME, FRAME);
        }
        assertSameBytes(transport.received(), expected);

        List<Integer> sizes = transport.writeSizes();
        if (writes == FakeTransport.Writes.NOW_IN_PARTS) {
            // the capture thread writes the first part of a chunk, the sender the rest
            assertThat(sizes).contains(FakeTransport.NOW_PART, 512 * FRAME - FakeTransport.NOW_PART);
        } else {
            assertThat(sizes).hasSize(total / 512 + 1);
            assertThat(sizes.subList(0, sizes.size() - 1)).containsOnly(512 * FRAME);
            assertThat(sizes.getLast()).isEqualTo(total % 512 * FRAME);
        }
        assertThat(transport.writerThreads()).as("who wrote")
                .contains(writes == FakeTransport.Writes.WAITING ? "streamer-sender" : "streamer-capture");

        StreamStatus status = engine.status();
        assertThat(status.bytesSent()).isEqualTo((long) total * FRAME);
        assertThat(status.connects()).isEqualTo(1);
        assertThat(status.errors()).isEmpty();
        assertThat(status.latencyDropMillis()).isZero();
        assertThat(status.staleDrainMillis()).isZero();
        assertThat(status.ringOverflowMillis()).isZero();
        assertThat(source.closed).isTrue();
        assertThat(transport.closed).isTrue();
        assertThat(transport.link(1).closed).isTrue();
    }

    @Test
    void audioInAnotherFormatIsConvertedToTheWireFormat() throws Exception {
        int total = 30_001;
        PcmFormat mono = new PcmFormat(48_000, 1, 16, 2, SampleEncoding.SIGNED, false);
        FakeSource source = new FakeSource(mono, (index, buffer, at) -> {
            short sample = monoSample(index);
            buffer[at] = (byte) sample;
            buffer[at + 1] = (byte) (sample >> 8);
        }, false, total);
        FakeTransport transport = new FakeTransport();
        Engine engine = engine(new EngineConfig(WIRE, 512, 10_000, 10_000, FAST), source, transport, new Recorder());

        engine.start();

        assertThat(engine.awaitTermination(PATIENCE)).isTrue();
        byte[] expected = new byte[total * FRAME];
        for (int i = 0; i < total; i++) {
            short sample = monoSample(i);
            expected[i * 4] = (byte) sample;
            expected[i * 4 + 1] = (byte) (sample >> 8);
            expected[i * 4 + 2] = (byte) sample;
            expected[i * 4 + 3] = (byte) (sample >> 8);
        }
        assertSameBytes(transport.received(), expected);
        assertThat(engine.status().bytesSent()).isEqualTo((long) total * FRAME);
    }

    @Test
    void readsAreTheChunkOrAnEqualPartOfItOfAtMostTwelveMilliseconds() {
        assertThat(Engine.readFrames(512, 48_000)).isEqualTo(512); // ethernet: 10.7 ms
        assertThat(Engine.readFrames(1024, 48_000)).isEqualTo(512); // wifi: two reads per chunk
        assertThat(Engine.readFrames(2048, 48_000)).isEqualTo(512);
        assertThat(Engine.readFrames(512, 44_100)).isEqualTo(512); // 11.6 ms
        assertThat(Engine.readFrames(1000, 48_000)).isEqualTo(500);
        assertThat(Engine.readFrames(32, 8_000)).isEqualTo(32);
        assertThat(Engine.readFrames(16384, 8_000)).isEqualTo(96); // 171 parts of 12 ms
    }

    @ParameterizedTest
    @EnumSource(value = FakeTransport.Writes.class, names = {"WAITING", "NOW"})
    void everyWriteIsExactlyOneChunkWhileStreaming(FakeTransport.Writes writes) throws Exception {
        FakeSource source = FakeSource.counting(WIRE);
        FakeTransport transport = new FakeTransport(writes);
        // 300 frames: not a power of two
        EngineConfig config = new EngineConfig(WIRE, 300, 2000, 2000, FAST);
        Engine engine = engine(config, source, transport, new Recorder());

        engine.start();
        await("30 writes", () -> transport.writeSizes().size() >= 30);
        engine.stop();

        List<Integer> sizes = transport.writeSizes();
        assertThat(config.chunkBytes()).isEqualTo(1200);
        assertThat(sizes).hasSizeGreaterThanOrEqualTo(30).containsOnly(config.chunkBytes());
        int[] frames = frameNumbers(transport.received());
        for (int i = 0; i < frames.length; i++) {
            assertThat(frames[i]).as("frame %d", i).isEqualTo(i);
        }
    }

    // ---- stop from every state -----------------------------------------------------------------

    @Test
    void stopsPromptlyWhileWaitingForAudio() throws Exception {
        FakeSource source = FakeSource.counting(WIRE);
        source.mode = FakeSource.Mode.SILENT;
        FakeTransport transport = new FakeTransport();
        Engine engine = engine(EngineConfig.DEFAULT, source, transport, new Recorder());

        engine.start();
        await("streaming", () -> engine.state() == STREAMING && source.reads.get() >= 3);

        assertStopsPromptly(engine, source, transport);
        assertThat(transport.writeSizes()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(FakeTransport.Writes.class)
    void stopsPromptlyWhileBlockedInALinkWrite(FakeTransport.Writes writes) throws Exception {
        FakeSource source = FakeSource.counting(WIRE);
        FakeTransport transport = new FakeTransport(writes);
        transport.holdWrites(true);
        Engine engine = engine(EngineConfig.DEFAULT, source, transport, new Recorder());

        engine.start();
        await("a blocked write", () -> transport.blockedWriters() == 1);

        assertStopsPromptly(engine, source, transport);
        assertThat(engine.status().errors()).as("a write aborted by stop() is no failure").isEmpty();
    }

    @Test
    void stopsPromptlyDuringTheBackoffWait() throws Exception {
        FakeSource source = FakeSource.counting(WIRE);
        FakeTransport transport = new FakeTransport();
        transport.failAlways = Kind.REFUSED;
        // the default policy and the real clock: the first wait is 1.5 to 2.5 s
        Engine engine = engine(EngineConfig.DEFAULT, source, transport, new Recorder());

        engine.start();
        await("reconnecting", () -> engine.state() == RECONNECTING);

        assertStopsPromptly(engine, source, transport);
        assertThat(transport.attempts.get()).isEqualTo(1);
    }

    @Test
    void stopsPromptlyWhileTheCaptureReadBlocks() throws Exception {
        FakeSource source = FakeSource.counting(WIRE);
        source.mode = FakeSource.Mode.BLOCK;
        FakeTransport transport = new FakeTransport();
        Engine engine = engine(EngineConfig.DEFAULT, source, transport, new Recorder());

        engine.start();
        await("a blocked read", () -> source.blockedInRead && engine.state() == STREAMING);

        assertStopsPromptly(engine, source, transport);
    }

    private static void assertStopsPromptly(Engine engine, FakeSource source, FakeTransport transport) throws Exception {
        long before = System.nanoTime();
        engine.stop();
        long took = System.nanoTime() - before;

        assertThat(Duration.ofNanos(took)).as("stop() took").isLessThan(Duration.ofSeconds(1));
        assertThat(engine.awaitTermination(Duration.ofMillis(200))).as("every engine thread ended").isTrue();
        assertThat(engine.state()).isEqualTo(StreamState.STOPPED);
        assertThat(source.closed).isTrue();
        assertThat(transport.closed).isTrue();
        for (FakeTransport.FakeLink link : transport.links) {
            assertThat(link.closed).as("link %d closed", link.number).isTrue();
        }
        engine.stop(); // idempotent
        assertThat(engine.state()).isEqualTo(StreamState.STOPPED);
    }

    // ---- failures and reconnects -------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(FakeTransport.Writes.class)
    void failuresAreCountedByKindAndTheStateFollowsTheConnection(FakeTransport.Writes writes) throws Exception {
        FakeSource source = FakeSource.counting(WIRE);
        FakeTransport transport = new FakeTransport(writes);
        transport.openFailures.addAll(List.of(Kind.REFUSED, Kind.REFUSED, Kind.UNREACHABLE));
        transport.failLink = 1;
        transport.failWrite = 3;
        transport.writeFailureKind = Kind.WRITE_TIMEOUT;
        Recorder recorder = new Recorder();
        // the default policy (2 s doubling, ±0.5 s) on a clock a thousand times fast
        Engine engine = engine(EngineConfig.DEFAULT, source, transport, recorder, fastClock());

        engine.start();
        await("the second link streaming", () -> transport.links.size() == 2 && transport.link(2).writes.get() >= 3);

        StreamStatus status = engine.status();
        assertThat(status.errors()).isEqualTo(Map.of(Kind.REFUSED, 2L, Kind.UNREACHABLE, 1L, Kind.WRITE_TIMEOUT, 1L));
        assertThat(status.errorCount()).isEqualTo(4);
        assertThat(status.connects()).isEqualTo(2);
        assertThat(status.state()).isEqualTo(STREAMING);
        assertThat(status.peer()).isEqualTo("fake-peer-2");
        assertThat(status.target()).isEqualTo("fake://receiver");
        assertThat(status.lastError()).isEqualTo("write timeout: fake write failure");
        assertThat(transport.attempts.get()).isEqualTo(5);
        assertThat(transport.link(1).closed).isTrue();
        assertThat(recorder.states).containsExactly(
                CONNECTING, RECONNECTING, CONNECTING, RECONNECTING, CONNECTING, RECONNECTING, CONNECTING, STREAMING,
                RECONNECTING, CONNECTING, STREAMING);
        // the first wait is 2 s plus the first jitter draw of the seeded generator
        long firstWait = 2_000_000_000L + new SplittableRandom(SEED).nextLong(-500_000_000L, 500_000_001L);
        assertThat(recorder.details.get(1))
                .isEqualTo(String.format("connection refused: fake open failure; next attempt in %.1f s", firstWait / 1e9));
        assertThat(recorder.details.get(7)).isEqualTo("connected to fake-peer-1");
    }

    @Test
    void whileDisconnectedOnlyTheLatencyTargetIsKeptAndTheFirstAudioAfterAReconnectIsRecent() throws Exception {
        FakeSource source = FakeSource.counting(WIRE);
        FakeTransport transport = new FakeTransport();
        transport.failAlways = Kind.REFUSED;
        int chunkFrames = 4096; // 85 ms
        int latencyMillis = 200; // at least two chunks
        EngineConfig config = new EngineConfig(WIRE, chunkFrames, 2000, latencyMillis, ReconnectPolicy.DEFAULT);
        long chunkMillis = chunkFrames * 1000L / WIRE.sampleRate();
        Engine engine = engine(config, source, transport, new Recorder(), fastClock());

        engine.start();
        long maxBuffered = 0;
        long firstDrain = -1;
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            long producedBefore = source.producedMillis();
            StreamStatus status = engine.status();
            maxBuffered = Math.max(maxBuffered, status.bufferedMillis());
            assertThat(status.bytesSent()).isZero();
            // all audio produced is either still buffered or was drained as stale (rounding, one period in flight)
            assertThat(status.bufferedMillis() + status.staleDrainMillis() + status.ringOverflowMillis())
                    .as("buffered %d + drained %d + overflow %d, produced %d before, %d after; %s", status.bufferedMillis(),
                            status.staleDrainMillis(), status.ringOverflowMillis(), producedBefore, source.producedMillis(), status)
                    .isGreaterThanOrEqualTo(producedBefore - Engine.MAX_READ_MILLIS - 5);
            if (firstDrain < 0 && status.staleDrainMillis() > 0) {
                firstDrain = status.staleDrainMillis();
            }
            if (status.staleDrainMillis() >= 400) {
                break;
            }
            if (System.nanoTime() > deadline) {
                fail("stale audio was never drained: " + status);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        StreamStatus disconnected = engine.status();
        assertThat(maxBuffered).as("most audio buffered while disconnected").isLessThanOrEqualTo(latencyMillis + chunkMillis);
        assertThat(disconnected.staleDrainMillis()).isGreaterThan(firstDrain);
        assertThat(disconnected.ringOverflowMillis()).isZero();
        assertThat(disconnected.errors().get(Kind.REFUSED)).isGreaterThanOrEqualTo(2);

        AtomicLong firstFrame = new AtomicLong(-1);
        AtomicLong producedAtFirstWrite = new AtomicLong(-1);
        transport.onWrite = (link, chunk) -> {
            if (link.number == 1 && link.writes.get() == 1) {
                long produced = source.produced.get();
                firstFrame.set(chunk.order(ByteOrder.LITTLE_ENDIAN).getInt(chunk.position()));
                producedAtFirstWrite.set(produced); // last: the test waits for this one
            }
        };
        transport.failAlways = null;
        await("the first write after the reconnect", () -> producedAtFirstWrite.get() >= 0);

        long ageFrames = producedAtFirstWrite.get() - firstFrame.get();
        long boundFrames = WIRE.sampleRate() * (latencyMillis) / 1000 + chunkFrames;
        assertThat(ageFrames).as("age of the first frame sent, in frames (first %d, produced %d)", firstFrame.get(),
                producedAtFirstWrite.get()).isBetween(0L, boundFrames);
        assertThat(firstFrame.get()).as("the oldest audio was dropped")
                .isGreaterThanOrEqualTo(disconnected.staleDrainMillis() * WIRE.sampleRate() / 1000);
    }

    @ParameterizedTest
    @EnumSource(FakeTransport.Writes.class)
    void aTransientBacklogAfterAStallIsSentAsFastAsTheLinkTakesItWithoutLoss(FakeTransport.Writes writes) throws Exception {
        FakeSource source = FakeSource.counting(WIRE);
        FakeTransport transport = new FakeTransport(writes);
        int latencyMillis = 100;
        EngineConfig config = new EngineConfig(WIRE, 512, 2000, latencyMillis, FAST);
        Engine engine = engine(config, source, transport, new Recorder());

        engine.start();
        await("streaming", () -> transport.writeSizes().size() >= 20);
        transport.holdWrites(true);
        await("400 ms of backlog behind a stalled write",
                () -> transport.blockedWriters() == 1 && engine.status().bufferedMillis() >= 400);
        transport.holdWrites(false); // the fake link takes everything at once
        await("the backlog sent", () -> engine.status().bufferedMillis() < 30);
        int writesAfter = transport.writeSizes().size();
        // a few standing-backlog windows later, still nothing dropped
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * Engine.STANDING_WINDOW_MILLIS + 500);
        while (System.nanoTime() < until) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        engine.stop();

        StreamStatus status = engine.status();
        assertThat(transport.writeSizes().size()).isGreaterThan(writesAfter);
        assertThat(status.latencyDropMillis()).as("a transient backlog is never dropped").isZero();
        assertThat(status.ringOverflowMillis()).isZero();
        int[] frames = frameNumbers(transport.received());
        for (int i = 0; i < frames.length; i++) {
            assertThat(frames[i]).as("frame %d", i).isEqualTo(i);
        }
        assertThat(status.timing().stalls()).as("the held write was a stall").isGreaterThanOrEqualTo(1);
    }

    @Test
    void aStandingBacklogThatAReceiverInRealTimeCannotAbsorbIsDroppedDownToTheLatencyTarget() throws Exception {
        FakeSource source = FakeSource.counting(WIRE);
        FakeTransport transport = new FakeTransport();
        RealTimeReceiver receiver = new RealTimeReceiver(WIRE.bytesPerSecond(), WIRE.bytesForMillis(50));
        transport.onWrite = (link, chunk) -> receiver.take(chunk.remaining());
        int latencyMillis = 100;
        EngineConfig config = new EngineConfig(WIRE, 512, 2000, latencyMillis, FAST);
        long chunkMillis = (512 * 1000L + WIRE.sampleRate() - 1) / WIRE.sampleRate(); // 11 ms, rounded up
        Engine engine = engine(config, source, transport, new Recorder());

        engine.start();
        await("streaming", () -> transport.writeSizes().size() >= 20);
        transport.holdWrites(true);
        await("600 ms of backlog behind a stalled write",
                () -> transport.blockedWriters() == 1 && engine.status().bufferedMillis() >= 600);
        transport.holdWrites(false);
        long released = System.nanoTime();

        await("the standing backlog beyond the latency target dropped", () -> engine.status().latencyDropMillis() >= 300);
        long tookMillis = (System.nanoTime() - released) / 1_000_000;
        int writesAfter = transport.writeSizes().size();
        List<Long> buffered = new ArrayList<>();
        while (transport.writeSizes().size() < writesAfter + 50) {
            buffered.add(engine.status().bufferedMillis());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        engine.stop();

        assertThat(tookMillis).as("dropped after the backlog stood for a window, not at once")
                .isGreaterThanOrEqualTo(Engine.STANDING_WINDOW_MILLIS / 2);
        // the backlog now stands at the target (a loaded machine may delay a write now and then)
        List<Long> sorted = buffered.stream().sorted().toList();
        assertThat(sorted.get(sorted.size() / 2)).as("median backlog after the drop: %s", buffered)
                .isLessThanOrEqualTo(latencyMillis + chunkMillis);
        assertThat(sorted.getLast()).as("largest backlog after the drop").isLessThan(400);
        StreamStatus status = engine.status();
        assertThat(status.ringOverflowMillis()).isZero();
        assertThat(status.errors()).isEmpty();
        // what was sent is in order, and the holes in it add up to at least the dropped backlog
        int[] frames = frameNumbers(transport.received());
        long missing = 0;
        for (int i = 1; i < frames.length; i++) {
            assertThat(frames[i]).as("frame %d", i).isGreaterThan(frames[i - 1]);
            missing += frames[i] - frames[i - 1] - 1;
        }
        assertThat(missing).isGreaterThanOrEqualTo(300L * WIRE.sampleRate() / 1000);
        assertThat(missing * 1000 / WIRE.sampleRate()).isBetween(status.latencyDropMillis() - 1, status.latencyDropMillis() + 1);
    }

    /** Takes bytes no faster than real time, with a small receive buffer that absorbs {@code burstBytes}. */
    static final class RealTimeReceiver {
        private final double bytesPerNano;
        private final double burst;
        private double credit;
        private long last = -1;

        RealTimeReceiver(long bytesPerSecond, int burstBytes) {
            this.bytesPerNano = bytesPerSecond / 1e9;
            this.burst = burstBytes;
        }

        synchronized void take(int bytes) {
            long now = System.nanoTime();
            if (last < 0) {
                last = now;
                credit = burst;
            }
            credit = Math.min(burst, credit + (now - last) * bytesPerNano);
            last = now;
            if (credit < bytes) {
                long wait = (long) ((bytes - credit) / bytesPerNano);
                LockSupport.parkNanos(wait);
                long after = System.nanoTime();
                credit = Math.min(burst, credit + (after - last) * bytesPerNano);
                last = after;
            }
            credit -= bytes;
        }
    }

    // ---- source problems -----------------------------------------------------------------------

    @Test
    void sourceThatFailsStopsTheEngineAsFailedNamingTheCause() throws Exception {
        FakeSource source = FakeSource.counting(WIRE);
        source.failAfterFrames = 4800;
        source.failure = new SourceException("device unplugged");
        FakeTransport transport = new FakeTransport();
        Recorder recorder = new Recorder();
        Engine engine = engine(EngineConfig.DEFAULT, source, transport, recorder);

        engine.start();

        assertThat(engine.awaitTermination(PATIENCE)).isTrue();
        assertThat(engine.state()).isEqualTo(StreamState.FAILED);
        assertThat(engine.failure()).isEqualTo("capture failed: device unplugged");
        assertThat(recorder.lastState()).isEqualTo(StreamState.FAILED);
        assertThat(recorder.lastDetail()).isEqualTo("capture failed: device unplugged");
        assertThat(recorder.statuses.getLast().state()).isEqualTo(StreamState.FAILED);
        assertThat(source.produced.get()).isEqualTo(4800);
        assertThat(source.closed).isTrue();
        assertThat(transport.closed).isTrue();
    }

    @Test
    void aRateMismatchFailsStartNamingBothRatesAndClosesTheSource() {
        FakeSource source = FakeSource.counting(PcmFormat.wire(44_100, 16, 2));
        FakeTransport transport = new FakeTransport();
        Recorder recorder = new Recorder();
        Engine engine = engine(EngineConfig.DEFAULT, source, transport, recorder);

        assertThatThrownBy(engine::start)
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("44100 Hz")
                .hasMessageContaining("48000 Hz");

        assertThat(source.closeCalls.get()).isEqualTo(1);
        assertThat(source.reads.get()).isZero();
        assertThat(transport.closed).isTrue();
        assertThat(transport.attempts.get()).isZero();
        assertThat(engine.state()).isEqualTo(StreamState.FAILED);
        assertThat(recorder.states).containsExactly(StreamState.FAILED);
    }

    @Test
    void aSourceThatCannotOpenFailsStartAndIsClosed() {
        FakeSource source = FakeSource.counting(WIRE);
        SourceException cause = new SourceException("no device named 'usb'; there are: hw:0, hw:1");
        source.openFailure = cause;
        FakeTransport transport = new FakeTransport();
        Engine engine = engine(EngineConfig.DEFAULT, source, transport, new Recorder());

        assertThatThrownBy(engine::start).isSameAs(cause);

        assertThat(source.closeCalls.get()).isEqualTo(1);
        assertThat(transport.closed).isTrue();
        assertThat(engine.state()).isEqualTo(StreamState.FAILED);
    }

    // ---- lifecycle and status ------------------------------------------------------------------

    @Test
    void anEngineStartsOnceAndStopBeforeStartDoesNothing() throws Exception {
        FakeSource source = FakeSource.counting(WIRE);
        FakeTransport transport = new FakeTransport();
        Engine engine = engine(EngineConfig.DEFAULT, source, transport, new Recorder());

        engine.stop();
        assertThat(source.closed).isFalse();
        assertThat(engine.state()).isEqualTo(StreamState.STARTING);

        engine.start();
        assertThatThrownBy(engine::start).isInstanceOf(IllegalStateException.class);
        engine.stop();
        assertThat(engine.state()).isEqualTo(StreamState.STOPPED);
    }

    @Test
    void theListenerGetsPeriodicSnapshotsAndALastOne() throws Exception {
        FakeSource source = FakeSource.counting(WIRE);
        FakeTransport transport = new FakeTransport();
        Recorder recorder = new Recorder();
        Engine engine = engine(EngineConfig.DEFAULT, source, transport, recorder);

        engine.start();
        await("snapshots while streaming",
                () -> recorder.statuses.stream().filter(s -> s.state() == STREAMING && s.bytesSent() > 0).count() >= 3);
        engine.stop();

        StreamStatus streaming = recorder.statuses.stream().filter(s -> s.state() == STREAMING && s.bytesSent() > 0)
                .findFirst().orElseThrow();
        assertThat(streaming.target()).isEqualTo("fake://receiver");
        assertThat(streaming.peer()).isEqualTo("fake-peer-1");
        assertThat(streaming.source()).isEqualTo("fake source " + WIRE);
        assertThat(streaming.ringMillis()).isEqualTo(2000);
        assertThat(streaming.connects()).isEqualTo(1);
        assertThat(recorder.statuses).anySatisfy(s -> assertThat(s.bitrateKbps()).isPositive());
        StreamStatus last = recorder.statuses.getLast();
        assertThat(last.state()).isEqualTo(StreamState.STOPPED);
        assertThat(last.peer()).isEmpty();
        assertThat(last.bytesSent()).isEqualTo(transport.receivedBytes());
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static short monoSample(long index) {
        return (short) (index * 40_503 + 17);
    }

    private static int[] frameNumbers(byte[] received) {
        ByteBuffer buffer = ByteBuffer.wrap(received).order(ByteOrder.LITTLE_ENDIAN);
        int[] frames = new int[received.length / FRAME];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = buffer.getInt(i * FRAME);
        }
        return frames;
    }

    private static void assertSameBytes(byte[] actual, byte[] expected) {
        int common = Math.min(actual.length, expected.length);
        for (int i = 0; i < common; i++) {
            if (actual[i] != expected[i]) {
                fail("byte " + i + " (frame " + i / FRAME + ") is " + actual[i] + ", expected " + expected[i]);
            }
        }
        assertThat(actual.length).as("bytes received").isEqualTo(expected.length);
    }

    /** Wait for a condition the engine reaches by itself; a bound, not a timing assertion. */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
