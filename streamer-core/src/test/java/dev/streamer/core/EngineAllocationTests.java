package dev.streamer.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.Link;
import dev.streamer.api.spi.Transport;
import dev.streamer.testkit.Allocation;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A chunk is sent every 10 ms for hours: with every metric on (jitter, write latency window, level
 * meter, silence gate, standing-backlog window, underrun accounting, beat), streaming must not
 * allocate, whether the sender thread writes or the capture thread does (a link that writes
 * without waiting).
 */
class EngineAllocationTests {

    /** A link that takes everything and allocates nothing. */
    static final class NullTransport implements Transport {
        final AtomicLong writes = new AtomicLong();
        final boolean writesNow;

        NullTransport(boolean writesNow) {
            this.writesNow = writesNow;
        }

        @Override
        public String target() {
            return "null://";
        }

        @Override
        public Link open(PcmFormat format) {
            return new Link() {
                @Override
                public void write(ByteBuffer chunk) {
                    chunk.position(chunk.limit());
                    writes.incrementAndGet();
                }

                @Override
                public boolean writesWithoutWaiting() {
                    return writesNow;
                }

                @Override
                public void writeNow(ByteBuffer chunk) {
                    write(chunk);
                }

                @Override
                public String peer() {
                    return "null";
                }

                @Override
                public List<String> appliedOptions() {
                    return List.of();
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void close() {
        }
    }

    @ParameterizedTest(name = "writes without waiting: {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void neitherThreadAllocatesPerChunk(boolean writesNow) throws Exception {
        NullTransport transport = new NullTransport(writesNow);
        EngineConfig config = EngineConfig.DEFAULT.withSilence(new SilencePolicy(SilencePolicy.Mode.PAUSE, Duration.ofSeconds(60), -60));
        Engine engine = Engine.builder(config, FakeSource.counting(PcmFormat.DEFAULT_WIRE), transport)
                .statusInterval(Duration.ofMillis(50)).qualityInterval(Duration.ofMillis(200)).build();
        try {
            engine.start();
            Thread sender = thread("streamer-sender");
            Thread capture = thread("streamer-capture");
            pause(2000); // warm up: class loading, the first heartbeat time, JIT
            long writesBefore = transport.writes.get();
            long senderBefore = Allocation.of(sender);
            long captureBefore = Allocation.of(capture);
            pause(3000);
            long bySender = Allocation.of(sender) - senderBefore;
            long byCapture = Allocation.of(capture) - captureBefore;
            long writes = transport.writes.get() - writesBefore;
            assertThat(writes).as("chunks sent while measuring").isGreaterThan(200);
            // a single object per chunk would be at least 16 bytes each
            assertThat(bySender).as("bytes allocated by the sender thread for %d chunks", writes).isLessThan(1024);
            assertThat(byCapture).as("bytes allocated by the capture thread for %d chunks", writes).isLessThan(1024);
            assertThat(engine.status().timing().writeSamples()).isEqualTo(100);
        } finally {
            engine.stop();
        }
    }

    private static Thread thread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
    }

    private static void pause(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
