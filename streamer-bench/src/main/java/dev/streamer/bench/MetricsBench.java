package dev.streamer.bench;

import dev.streamer.api.PcmFormat;
import dev.streamer.core.internal.ArrivalClock;
import dev.streamer.core.internal.JitterMeter;
import dev.streamer.core.internal.LevelMeter;
import dev.streamer.core.internal.SilenceGate;
import dev.streamer.core.internal.StandingBacklog;
import dev.streamer.core.internal.WriteLatencyWindow;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The sender's per-chunk bookkeeping at the ethernet preset (512-frame chunks of 48 kHz/16-bit
 * stereo): level, jitter, write and sender-added latency windows, silence gate, standing backlog,
 * each alone and all together as {@code Engine.pump} runs them. A fake clock advances one chunk
 * duration per operation, so the meters see an on-schedule stream.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetricsBench {
    private static final PcmFormat WIRE = PcmFormat.DEFAULT_WIRE;
    private static final int CHUNK = WIRE.bytes(512);
    private static final long CHUNK_NANOS = WIRE.nanosFor(CHUNK);

    private ByteBuffer chunk;
    private LevelMeter level;
    private JitterMeter jitter;
    private WriteLatencyWindow writes;
    private WriteLatencyWindow senderLatency;
    private ArrivalClock arrivals;
    private SilenceGate silence;
    private StandingBacklog standing;
    private long now;
    private long position;

    @Setup
    public void setUp() {
        chunk = ByteBuffer.allocateDirect(CHUNK);
        byte[] noise = new byte[CHUNK];
        new SplittableRandom(1).nextBytes(noise);
        chunk.put(noise).flip();
        level = new LevelMeter(WIRE);
        jitter = new JitterMeter(CHUNK_NANOS);
        writes = new WriteLatencyWindow();
        senderLatency = new WriteLatencyWindow(4096);
        arrivals = new ArrivalClock();
        silence = new SilenceGate(true, TimeUnit.SECONDS.toNanos(10), -60);
        standing = new StandingBacklog(TimeUnit.SECONDS.toNanos(2), WIRE.bytesForMillis(60));
    }

    @Benchmark
    public double level() {
        return level.measure(chunk, CHUNK);
    }

    @Benchmark
    public double jitter() {
        now += CHUNK_NANOS;
        jitter.onWrite(now, true);
        return jitter.jitterMillis();
    }

    @Benchmark
    public long writeLatency() {
        writes.record(150_000);
        return writes.recorded();
    }

    /** The capture side marks two 5 ms reads, the sender looks up the chunk's oldest byte and records its wait. */
    @Benchmark
    public long senderLatency() {
        now += CHUNK_NANOS;
        arrivals.mark(position + CHUNK / 2, now);
        arrivals.mark(position + CHUNK, now + CHUNK_NANOS / 2);
        long arrived = arrivals.arrivalOf(position);
        position += CHUNK;
        senderLatency.record(now + CHUNK_NANOS - arrived);
        return arrived;
    }

    /** Everything the sender does per chunk besides the ring read and the socket write. */
    @Benchmark
    public Object perChunk() {
        now += CHUNK_NANOS;
        standing.observe(now, CHUNK);
        arrivals.mark(position + CHUNK, now - CHUNK_NANOS); // the capture thread's part
        long arrived = arrivals.arrivalOf(position);
        double peak = level.measure(chunk, CHUNK);
        SilenceGate.Action action = silence.onChunk(now, peak);
        jitter.onWrite(now, true);
        writes.record(150_000);
        position += CHUNK;
        senderLatency.record(now - arrived);
        return action;
    }
}
