package dev.streamer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamer.api.PcmFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class LevelMeterTests {

    private static ByteBuffer s16(int frames, java.util.function.IntUnaryOperator sample) {
        ByteBuffer b = ByteBuffer.allocateDirect(frames * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            b.putShort((short) sample.applyAsInt(i)).putShort((short) sample.applyAsInt(i));
        }
        return b.flip();
    }

    @Test
    void digitalSilenceIsTheFloor() {
        LevelMeter meter = new LevelMeter(PcmFormat.DEFAULT_WIRE);
        assertThat(meter.measure(s16(512, i -> 0), 2048)).isEqualTo(LevelMeter.FLOOR_DBFS);
        assertThat(meter.rmsDbfs()).isEqualTo(LevelMeter.FLOOR_DBFS);
    }

    @Test
    void aFullScaleSquareIsZeroDbfsPeakAndRms() {
        LevelMeter meter = new LevelMeter(PcmFormat.DEFAULT_WIRE);
        ByteBuffer chunk = s16(512, i -> i % 2 == 0 ? -32768 : 32767);
        assertThat(meter.measure(chunk, 2048)).isCloseTo(0, within(1e-9)); // |-32768| / 32768
        assertThat(meter.rmsDbfs()).isCloseTo(0, within(0.001));
        assertThat(chunk.position()).as("absolute reads").isZero();
    }

    @Test
    void theSameBufferIsMeasuredAfreshEachTimeFromItsPositionForTheLengthAsked() {
        LevelMeter meter = new LevelMeter(PcmFormat.DEFAULT_WIRE);
        // 1000 frames: -6 dBFS in the first 100, silence after, one full-scale sample in the last frame
        ByteBuffer chunk = s16(1000, i -> i < 100 ? 16384 : i == 999 ? -32768 : 0);
        assertThat(meter.measure(chunk, 400)).isCloseTo(-6.02, within(0.01));
        chunk.position(400); // frame 100 on: silence, then the full-scale sample
        assertThat(meter.measure(chunk, 3596)).as("silence up to the last frame").isEqualTo(LevelMeter.FLOOR_DBFS);
        assertThat(meter.measure(chunk, 3600)).isCloseTo(0, within(1e-9));
        chunk.position(2); // one sample in: not frame-aligned, still sample-aligned
        assertThat(meter.measure(chunk, 400)).isCloseTo(-6.02, within(0.01));
        chunk.put(0, new byte[4000]); // the same buffer, new audio
        chunk.position(0);
        assertThat(meter.measure(chunk, 4000)).isEqualTo(LevelMeter.FLOOR_DBFS);
        // not even sample-aligned: read from there all the same
        ByteBuffer odd = ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0).putShort((short) 16384).putShort((short) 0);
        assertThat(meter.measure(odd.position(1), 4)).isCloseTo(-6.02, within(0.01));
    }

    @Test
    void aSineAtMinus20DbfsPeaksThereAndHasRmsThreeDbLower() {
        LevelMeter meter = new LevelMeter(PcmFormat.DEFAULT_WIRE);
        double amplitude = 32768 * Math.pow(10, -20 / 20.0);
        ByteBuffer chunk = s16(4800, i -> (int) Math.round(amplitude * Math.sin(2 * Math.PI * 1000 * i / 48000.0)));
        assertThat(meter.measure(chunk, chunk.remaining())).isCloseTo(-20, within(0.01));
        assertThat(meter.rmsDbfs()).isCloseTo(-23.01, within(0.01));
    }

    @Test
    void twentyFourBitsInFourBytesAndThirtyTwoBits() {
        LevelMeter s24 = new LevelMeter(PcmFormat.wire(48000, 24, 2));
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(-(1 << 23)).putInt(1 << 22).putInt(0).putInt(0).flip(); // -full scale, half scale
        assertThat(s24.measure(b, 16)).isCloseTo(0, within(1e-9));
        LevelMeter s32 = new LevelMeter(PcmFormat.wire(48000, 32, 2));
        ByteBuffer c = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        c.putInt(1 << 29).putInt(-(1 << 29)).flip(); // a quarter of full scale: -12.04 dBFS
        assertThat(s32.measure(c, 8)).isCloseTo(-12.04, within(0.01));
        assertThat(s32.rmsDbfs()).isCloseTo(-12.04, within(0.01));
    }

    @Test
    void theBuffersByteOrderSettingDoesNotChangeTheReading() {
        LevelMeter meter = new LevelMeter(PcmFormat.DEFAULT_WIRE);
        ByteBuffer little = s16(480, i -> i * 68 - 16384); // a ramp over most of the range
        double peak = meter.measure(little, little.remaining());
        double rms = meter.rmsDbfs();

        ByteBuffer sameBytesBigEndianOrder = little.duplicate().order(ByteOrder.BIG_ENDIAN);

        assertThat(meter.measure(sameBytesBigEndianOrder, sameBytesBigEndianOrder.remaining())).isEqualTo(peak);
        assertThat(meter.rmsDbfs()).isEqualTo(rms);
        LevelMeter s24 = new LevelMeter(PcmFormat.wire(48000, 24, 2));
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-(1 << 23)).putInt(1 << 22).flip();
        assertThat(s24.measure(b.duplicate().order(ByteOrder.BIG_ENDIAN), 8)).isCloseTo(0, within(1e-9));
    }
}
