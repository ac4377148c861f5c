package dev.streamer.core.internal;

import static dev.streamer.core.internal.SilenceGate.Action.PAUSE;
import static dev.streamer.core.internal.SilenceGate.Action.RESUME;
import static dev.streamer.core.internal.SilenceGate.Action.SEND;
import static dev.streamer.core.internal.SilenceGate.Action.SKIP;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SilenceGateTests {
    private static final long MS = 1_000_000;

    @Test
    void pausesAfterTheSilentTimeAndResumesAtTheFirstLoudChunk() {
        SilenceGate gate = new SilenceGate(true, 10_000 * MS, -60);
        assertThat(gate.onChunk(0, -20)).isEqualTo(SEND);
        assertThat(gate.onChunk(10 * MS, -70)).isEqualTo(SEND); // silence starts
        assertThat(gate.onChunk(5_000 * MS, -90)).isEqualTo(SEND);
        assertThat(gate.silentNanos(5_000 * MS)).isEqualTo(4_990 * MS);
        assertThat(gate.onChunk(10_009 * MS, -120)).isEqualTo(SEND);
        assertThat(gate.paused()).isFalse();
        assertThat(gate.onChunk(10_010 * MS, -120)).isEqualTo(PAUSE);
        assertThat(gate.paused()).isTrue();
        assertThat(gate.onChunk(10_020 * MS, -61)).isEqualTo(SKIP);
        assertThat(gate.onChunk(60_000 * MS, -100)).isEqualTo(SKIP);
        assertThat(gate.onChunk(60_010 * MS, -59.9)).isEqualTo(RESUME);
        assertThat(gate.paused()).isFalse();
        assertThat(gate.silentNanos(60_010 * MS)).isZero();
        assertThat(gate.onChunk(60_020 * MS, -70)).isEqualTo(SEND);
    }

    @Test
    void aLoudChunkRestartsTheSilentTime() {
        SilenceGate gate = new SilenceGate(true, 10_000 * MS, -60);
        gate.onChunk(0, -80);
        gate.onChunk(9_000 * MS, -10); // a click
        assertThat(gate.onChunk(9_010 * MS, -80)).isEqualTo(SEND);
        assertThat(gate.onChunk(18_000 * MS, -80)).isEqualTo(SEND);
        assertThat(gate.onChunk(19_010 * MS, -80)).isEqualTo(PAUSE);
    }

    @Test
    void sendModeNeverPausesButStillMeasuresTheSilence() {
        SilenceGate gate = new SilenceGate(false, 10_000 * MS, -60);
        for (long t = 0; t < 100_000; t += 1000) {
            assertThat(gate.onChunk(t * MS, -120)).isEqualTo(SEND);
        }
        assertThat(gate.paused()).isFalse();
        assertThat(gate.silentNanos(100_000 * MS)).isEqualTo(100_000 * MS);
    }

    @Test
    void resetForgetsAPause() {
        SilenceGate gate = new SilenceGate(true, 0, -60);
        assertThat(gate.onChunk(0, -80)).isEqualTo(PAUSE);
        gate.reset();
        assertThat(gate.paused()).isFalse();
        assertThat(gate.onChunk(MS, -80)).isEqualTo(PAUSE);
    }
}
