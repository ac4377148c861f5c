package dev.streamer.source.pulse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.Source;
import dev.streamer.testkit.Allocation;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The capture thread reads every few milliseconds for hours: a read must not allocate, whether it
 * copies a fragment, keeps part of one for the next read, or waits and returns 0. Surefire runs
 * this module with C1 only, as the image does, so no escape analysis can hide an allocation.
 */
class PulseAllocationTests {

    private static final int READS = 500;

    @BeforeEach
    void needsAudioPeers() {
        PulsePeers.require();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void readsAllocateNothing() throws Exception {
        try (Source source = new PulseSourceProvider().create(PulseSettings.DEFAULTS, PluginContext.system("pulse-test"))) {
            // 240-frame fragments read 100 frames at a time: most reads leave part of a fragment for the next
            PcmFormat format = source.open(PcmFormat.DEFAULT_WIRE, 240);
            byte[] buffer = new byte[format.bytes(100)];

            long frames = readMany(source, buffer); // warm up: class loading, linking, the first compilations
            long measuring = -Allocation.currentThread() + Allocation.currentThread(); // what reading the counter allocates itself
            long before = Allocation.currentThread();
            frames += readMany(source, buffer);
            long allocated = Allocation.currentThread() - before - measuring;

            long read = frames;
            System.getLogger(PulseAllocationTests.class.getName()).log(System.Logger.Level.INFO,
                    () -> READS + " reads after warm-up allocated " + allocated + " bytes; " + read + " frames in all");
            assertThat(frames).as("frames read").isGreaterThan(READS);
            // A single object per read would be at least 16 bytes each, 8000 in all.
            assertThat(allocated).as("bytes allocated by %d reads", READS).isLessThan(1024);
        }
    }

    private static long readMany(Source source, byte[] buffer) throws Exception {
        long frames = 0;
        for (int i = 0; i < READS; i++) {
            frames += source.read(buffer, 0, buffer.length) / 4;
        }
        return frames;
    }
}
