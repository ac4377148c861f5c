package dev.streamer.bench;

import dev.streamer.api.PcmFormat;
import dev.streamer.core.internal.ByteRing;
import java.nio.ByteBuffer;
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
 * The ring as the engine uses it at the ethernet preset (6 s array, 2 s limit): the sender takes
 * 512-frame chunks into its direct buffer; the capture thread appends a source's reads, 5 ms ones
 * (a source that delivers less than a chunk) or chunk-sized ones (Java Sound now). Measured on one
 * thread, so the figure is the copy and the ordering cost, without scheduler noise.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RingBench {
    private static final PcmFormat WIRE = PcmFormat.DEFAULT_WIRE;
    private static final int PERIOD = WIRE.bytes(240);
    private static final int CHUNK = WIRE.bytes(512);

    private ByteRing ring;
    private byte[] period;
    private byte[] read;
    private ByteBuffer chunk;

    @Setup
    public void setUp() {
        ring = new ByteRing(WIRE.bytesForMillis(6000), WIRE.frameSize());
        ring.setLimit(WIRE.bytesForMillis(2000));
        period = new byte[PERIOD];
        read = new byte[CHUNK];
        chunk = ByteBuffer.allocateDirect(CHUNK);
    }

    /** One capture period in, and a chunk out whenever one is there (the ring never fills). */
    @Benchmark
    public int writePeriodReadChunk() {
        int written = ring.write(period, 0, PERIOD);
        if (ring.available() >= CHUNK) {
            chunk.clear();
            ring.read(chunk, CHUNK);
        }
        return written;
    }

    /** One chunk-sized read in, one chunk out; positions move through the whole array, wrapping around. */
    @Benchmark
    public int writeReadChunk() {
        int written = ring.write(read, 0, CHUNK);
        chunk.clear();
        ring.read(chunk, CHUNK);
        return written;
    }
}
