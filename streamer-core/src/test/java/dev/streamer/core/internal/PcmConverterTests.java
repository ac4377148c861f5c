package dev.streamer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.SampleEncoding;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PcmConverterTests {
    private static final long SEED = Long.getLong("streamer.test.seed", 0x5EED_C0DEL);
    private static final int RATE = 48_000;
    private static final int MIN32 = Integer.MIN_VALUE;
    private static final int MAX32 = Integer.MAX_VALUE;

    /**
     * One input sample and what the wire must carry for it at 16, 24 and 32 bits. {@code raw} is
     * the container's integer value (for float: the IEEE bits), stored in the container's byte
     * order by {@link #put}; nothing in the expectations is computed by the code under test.
     */
    record Sample(String what, int raw, int s16, int s24, int s32) {
        int expected(int bits) {
            return switch (bits) {
                case 16 -> s16;
                case 24 -> s24;
                default -> s32;
            };
        }
    }

    /** A source layout and its hand-chosen samples. */
    record Layout(String name, int bits, int bytes, SampleEncoding encoding, boolean bigEndian, List<Sample> samples) {
        PcmFormat format(int channels) {
            return new PcmFormat(RATE, channels, bits, bytes, encoding, bigEndian);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Sample> S16 = List.of(
            new Sample("zero", 0, 0, 0, 0),
            new Sample("+full scale", 0x7FFF, 32767, 0x7FFF00, 0x7FFF0000),
            new Sample("-full scale", 0x8000, -32768, -0x800000, MIN32),
            new Sample("+1", 1, 1, 0x100, 0x10000),
            new Sample("-1", 0xFFFF, -1, -0x100, -0x10000),
            new Sample("1234", 0x04D2, 1234, 0x04D200, 0x04D20000),
            new Sample("-1234", 0xFB2E, -1234, -0x04D200, -0x04D20000));

    private static final List<Sample> S8 = List.of(
            new Sample("zero", 0, 0, 0, 0),
            new Sample("+full scale", 0x7F, 0x7F00, 0x7F0000, 0x7F000000),
            new Sample("-full scale", 0x80, -32768, -0x800000, MIN32),
            new Sample("+1", 1, 0x100, 0x10000, 0x1000000),
            new Sample("-1", 0xFF, -0x100, -0x10000, -0x1000000));

    private static final List<Sample> U8 = List.of(
            new Sample("zero (0x80)", 0x80, 0, 0, 0),
            new Sample("+full scale (0xff)", 0xFF, 0x7F00, 0x7F0000, 0x7F000000),
            new Sample("-full scale (0x00)", 0x00, -32768, -0x800000, MIN32),
            new Sample("+1 (0x81)", 0x81, 0x100, 0x10000, 0x1000000),
            new Sample("-1 (0x7f)", 0x7F, -0x100, -0x10000, -0x1000000));

    private static final List<Sample> S24 = List.of(
            new Sample("zero", 0, 0, 0, 0),
            new Sample("+full scale saturates at 16 bits", 0x7FFFFF, 32767, 0x7FFFFF, 0x7FFFFF00),
            new Sample("-full scale", 0x800000, -32768, -0x800000, MIN32),
            new Sample("+1", 1, 0, 1, 0x100),
            new Sample("-1", 0xFFFFFF, 0, -1, -0x100),
            new Sample("0x80 rounds up", 0x80, 1, 0x80, 0x8000),
            new Sample("0x7f rounds down", 0x7F, 0, 0x7F, 0x7F00),
            new Sample("-0x80 rounds up to 0", 0xFFFF80, 0, -0x80, -0x8000),
            new Sample("-0x81 rounds down", 0xFFFF7F, -1, -0x81, -0x8100),
            new Sample("0x17f", 0x17F, 1, 0x17F, 0x17F00),
            new Sample("0x180", 0x180, 2, 0x180, 0x18000),
            new Sample("0x123456", 0x123456, 0x1234, 0x123456, 0x12345600),
            new Sample("-0x123456", 0xEDCBAA, -0x1234, -0x123456, -0x12345600));

    private static final List<Sample> S32 = List.of(
            new Sample("zero", 0, 0, 0, 0),
            new Sample("+full scale saturates", MAX32, 32767, 0x7FFFFF, MAX32),
            new Sample("-full scale", MIN32, -32768, -0x800000, MIN32),
            new Sample("0x8000 rounds up", 0x8000, 1, 0x80, 0x8000),
            new Sample("0x7fff rounds down", 0x7FFF, 0, 0x80, 0x7FFF),
            new Sample("0x7f", 0x7F, 0, 0, 0x7F),
            new Sample("0x80", 0x80, 0, 1, 0x80),
            new Sample("-0x80", -0x80, 0, 0, -0x80),
            new Sample("-0x81", -0x81, 0, -1, -0x81),
            new Sample("-0x8000 rounds up to 0", -0x8000, 0, -0x80, -0x8000),
            new Sample("-0x8001 rounds down", -0x8001, -1, -0x80, -0x8001),
            new Sample("0x12345678", 0x12345678, 0x1234, 0x123456, 0x12345678),
            new Sample("0x7fff8000 rounds to 32768 and saturates", 0x7FFF8000, 32767, 0x7FFF80, 0x7FFF8000));

    private static final List<Sample> F32 = List.of(
            new Sample("0.0", bits(0.0f), 0, 0, 0),
            new Sample("-0.0", bits(-0.0f), 0, 0, 0),
            new Sample("1.0 saturates", bits(1.0f), 32767, 0x7FFFFF, MAX32),
            new Sample("-1.0", bits(-1.0f), -32768, -0x800000, MIN32),
            new Sample("1.5 saturates", bits(1.5f), 32767, 0x7FFFFF, MAX32),
            new Sample("-1.5 saturates", bits(-1.5f), -32768, -0x800000, MIN32),
            new Sample("+infinity saturates", bits(Float.POSITIVE_INFINITY), 32767, 0x7FFFFF, MAX32),
            new Sample("-infinity saturates", bits(Float.NEGATIVE_INFINITY), -32768, -0x800000, MIN32),
            new Sample("NaN is silence", bits(Float.NaN), 0, 0, 0),
            new Sample("0.5", bits(0.5f), 0x4000, 0x400000, 0x40000000),
            new Sample("-0.25", bits(-0.25f), -0x2000, -0x200000, -0x20000000),
            new Sample("2^-15", bits(0x1p-15f), 1, 0x100, 0x10000),
            new Sample("-2^-15", bits(-0x1p-15f), -1, -0x100, -0x10000),
            new Sample("2^-16 rounds up", bits(0x1p-16f), 1, 0x80, 0x8000),
            new Sample("-2^-16 rounds up to 0", bits(-0x1p-16f), 0, -0x80, -0x8000),
            new Sample("2^-31", bits(0x1p-31f), 0, 0, 1));

    static List<Layout> layouts() {
        return List.of(
                new Layout("u8", 8, 1, SampleEncoding.UNSIGNED, false, U8),
                new Layout("s8", 8, 1, SampleEncoding.SIGNED, false, S8),
                new Layout("s16le", 16, 2, SampleEncoding.SIGNED, false, S16),
                new Layout("s16be", 16, 2, SampleEncoding.SIGNED, true, S16),
                new Layout("s24le packed", 24, 3, SampleEncoding.SIGNED, false, S24),
                new Layout("s24be packed", 24, 3, SampleEncoding.SIGNED, true, S24),
                new Layout("s24in4le", 24, 4, SampleEncoding.SIGNED, false, S24),
                new Layout("s24in4be", 24, 4, SampleEncoding.SIGNED, true, S24),
                new Layout("s32le", 32, 4, SampleEncoding.SIGNED, false, S32),
                new Layout("s32be", 32, 4, SampleEncoding.SIGNED, true, S32),
                new Layout("f32le", 32, 4, SampleEncoding.FLOAT, false, F32),
                new Layout("f32be", 32, 4, SampleEncoding.FLOAT, true, F32));
    }

    static Stream<Arguments> everyLayoutToEveryWireFormat() {
        List<Arguments> cases = new ArrayList<>();
        for (Layout layout : layouts()) {
            for (int inChannels : new int[] {1, 2, 4}) {
                for (int wireBits : new int[] {16, 24, 32}) {
                    for (int wireChannels : new int[] {1, 2}) {
                        cases.add(Arguments.of(layout, inChannels, wireBits, wireChannels));
                    }
                }
            }
        }
        return cases.stream();
    }

    /**
     * Frame i carries sample i in channel 0 and samples i+1, i+2, ... in the others, so channel
     * mapping mistakes show; for a mono wire every channel carries sample i, whose average is itself.
     */
    @ParameterizedTest(name = "{0} x{1} -> s{2} x{3}")
    @MethodSource("everyLayoutToEveryWireFormat")
    void convertsEverySampleExactly(Layout layout, int inChannels, int wireBits, int wireChannels) {
        PcmFormat in = layout.format(inChannels);
        PcmFormat wire = PcmFormat.wire(RATE, wireBits, wireChannels);
        List<Sample> samples = layout.samples();
        int frames = samples.size();
        byte[] src = new byte[in.bytes(frames)];
        byte[] expected = new byte[wire.bytes(frames)];
        for (int frame = 0; frame < frames; frame++) {
            for (int c = 0; c < inChannels; c++) {
                Sample sample = samples.get(wireChannels == 1 ? frame : (frame + c) % frames);
                put(src, in.bytes(frame) + c * in.bytesPerSample(), layout.bytes(), layout.bigEndian(), sample.raw());
            }
            for (int c = 0; c < wireChannels; c++) {
                // mono in -> every wire channel gets the one channel; otherwise channel c gets channel c
                Sample sample = samples.get(wireChannels == 1 || inChannels == 1 ? frame : (frame + c) % frames);
                put(expected, wire.bytes(frame) + c * wire.bytesPerSample(), wire.bytesPerSample(), false, sample.expected(wireBits));
            }
        }
        byte[] dst = new byte[expected.length + 8];
        PcmConverter converter = PcmConverter.between(in, wire);

        int written = converter.convert(src, 0, src.length, dst, 0);

        assertThat(written).isEqualTo(expected.length);
        assertThat(converter.outputBytes(src.length)).isEqualTo(expected.length);
        for (int frame = 0; frame < frames; frame++) {
            int at = wire.bytes(frame);
            assertThat(hex(dst, at, wire.frameSize())).as("frame %d: %s", frame, samples.get(frame).what())
                    .isEqualTo(hex(expected, at, wire.frameSize()));
        }
        assertThat(hex(dst, expected.length, 8)).as("nothing written past the output").isEqualTo("0000000000000000");
    }

    @Test
    void literalBytesS24PackedBigEndianToS16() {
        PcmFormat in = new PcmFormat(RATE, 1, 24, 3, SampleEncoding.SIGNED, true);
        byte[] src = HexFormat.of().parseHex("123456" + "123480" + "FFFF80" + "800000");
        byte[] dst = new byte[8];

        PcmConverter.between(in, PcmFormat.wire(RATE, 16, 1)).convert(src, 0, src.length, dst, 0);

        assertThat(hex(dst)).isEqualTo("3412" + "3512" + "0000" + "0080");
    }

    @Test
    void wire24BitIsTheLowThreeBytesOfALittleEndianWordSignExtended() {
        PcmFormat in = PcmFormat.wire(RATE, 16, 1);
        byte[] src = HexFormat.of().parseHex("0100" + "FFFF" + "FF7F" + "0080");
        byte[] dst = new byte[16];

        PcmConverter.between(in, PcmFormat.wire(RATE, 24, 1)).convert(src, 0, src.length, dst, 0);

        assertThat(hex(dst))
                .isEqualTo("00010000" + "00FFFFFF" + "00FF7F00" + "000080FF");
    }

    @Test
    void s24InFourBytesIgnoresTheTopByteOnInput() {
        PcmFormat in = new PcmFormat(RATE, 1, 24, 4, SampleEncoding.SIGNED, false);
        // 0x7F000001 is +1 with junk above the 24 significant bits; 0x00FFFFFF is -1
        byte[] src = HexFormat.of().parseHex("0100007F" + "FFFFFF00");
        byte[] dst = new byte[8];

        PcmConverter.between(in, PcmFormat.wire(RATE, 32, 1)).convert(src, 0, src.length, dst, 0);

        assertThat(hex(dst)).isEqualTo("00010000" + "00FFFFFF");
    }

    @Test
    void monoIsDuplicatedIntoBothStereoChannels() {
        byte[] src = HexFormat.of().parseHex("3412" + "CDAB");
        byte[] dst = new byte[8];

        PcmConverter.between(PcmFormat.wire(RATE, 16, 1), PcmFormat.wire(RATE, 16, 2)).convert(src, 0, 4, dst, 0);

        assertThat(hex(dst)).isEqualTo("34123412" + "CDABCDAB");
    }

    @Test
    void fourChannelsToStereoKeepsTheFirstTwo() {
        byte[] src = HexFormat.of().parseHex("0100" + "0200" + "0300" + "0400" + "0500" + "0600" + "0700" + "0800");
        byte[] dst = new byte[8];

        int written = PcmConverter.between(new PcmFormat(RATE, 4, 16, 2, SampleEncoding.SIGNED, false), PcmFormat.wire(RATE, 16, 2))
                .convert(src, 0, src.length, dst, 0);

        assertThat(written).isEqualTo(8);
        assertThat(hex(dst)).isEqualTo("01000200" + "05000600");
    }

    /**
     * Channels are averaged at the 32-bit intermediate with floor division; a 16-bit wire then
     * rounds that average to the nearest value, halves up, like any narrowing. So at 32 bits the
     * average of 1 and 2 is 1 (floor) and at 16 bits it is 2 (1.5 rounded half up).
     */
    @Test
    void stereoToMonoAveragesAtThe32BitIntermediate() {
        PcmFormat s32Stereo = new PcmFormat(RATE, 2, 32, 4, SampleEncoding.SIGNED, false);
        assertThat(toMonoS32(s32Stereo, 1, 2)).isEqualTo(1);
        assertThat(toMonoS32(s32Stereo, -1, -2)).isEqualTo(-2);
        assertThat(toMonoS32(s32Stereo, 1, -2)).isEqualTo(-1);
        assertThat(toMonoS32(s32Stereo, 100, 300)).isEqualTo(200);
        assertThat(toMonoS32(s32Stereo, MAX32, MAX32)).isEqualTo(MAX32);
        assertThat(toMonoS32(s32Stereo, MIN32, MIN32)).isEqualTo(MIN32);
        assertThat(toMonoS32(s32Stereo, MIN32, MAX32)).isEqualTo(-1);

        PcmFormat s16Stereo = PcmFormat.wire(RATE, 16, 2);
        assertThat(toMonoS16(s16Stereo, 1, 2)).isEqualTo(2);
        assertThat(toMonoS16(s16Stereo, -1, -2)).isEqualTo(-1);
        assertThat(toMonoS16(s16Stereo, 1, -2)).isEqualTo(0);
        assertThat(toMonoS16(s16Stereo, 100, 300)).isEqualTo(200);
        assertThat(toMonoS16(s16Stereo, 32767, 32767)).isEqualTo(32767);
        assertThat(toMonoS16(s16Stereo, -32768, -32768)).isEqualTo(-32768);
        assertThat(toMonoS16(s16Stereo, -32768, 32767)).isEqualTo(0);

        PcmFormat s16Quad = new PcmFormat(RATE, 4, 16, 2, SampleEncoding.SIGNED, false);
        assertThat(toMonoS16(s16Quad, 1, 2, 3, 5)).isEqualTo(3); // 2.75
        assertThat(toMonoS16(s16Quad, 1, 1, 1, 2)).isEqualTo(1); // 1.25
        assertThat(toMonoS16(s16Quad, -1, -1, -1, -2)).isEqualTo(-1); // -1.25
        assertThat(toMonoS16(s16Quad, 1, 1, 2, 2)).isEqualTo(2); // 1.5
        assertThat(toMonoS16(s16Quad, 4000, -4000, 8, 0)).isEqualTo(2);
    }

    @Test
    void identityIsAPlainCopyOfWholeFrames() {
        System.out.println("PcmConverterTests.identityIsAPlainCopyOfWholeFrames seed=" + SEED);
        SplittableRandom random = new SplittableRandom(SEED);
        for (PcmFormat format : List.of(PcmFormat.wire(RATE, 16, 2), PcmFormat.wire(RATE, 32, 1),
                new PcmFormat(RATE, 2, 8, 1, SampleEncoding.UNSIGNED, false), new PcmFormat(RATE, 2, 24, 3, SampleEncoding.SIGNED, true),
                new PcmFormat(RATE, 2, 32, 4, SampleEncoding.FLOAT, true))) {
            PcmConverter converter = PcmConverter.between(format, format);
            assertThat(converter.isIdentity()).isTrue();
            byte[] src = new byte[format.bytes(100) + 3];
            random.nextBytes(src);
            byte[] dst = new byte[src.length + 10];

            int written = converter.convert(src, 3, format.bytes(100), dst, 5);

            assertThat(written).isEqualTo(format.bytes(100));
            assertThat(java.util.Arrays.copyOfRange(dst, 5, 5 + written))
                    .as("seed %d, %s", SEED, format).containsExactly(java.util.Arrays.copyOfRange(src, 3, 3 + written));
            assertThat(java.util.Arrays.copyOfRange(dst, 0, 5)).containsOnly(0);
        }
    }

    @Test
    void s24InFourBytesIsRewrittenEvenToTheSameFormatSoTheTopByteIsASignExtension() {
        PcmFormat s24in4 = PcmFormat.wire(RATE, 24, 1);
        PcmConverter converter = PcmConverter.between(s24in4, s24in4);
        // +1 with junk above, -1 with a zero top byte, -full scale with junk
        byte[] src = HexFormat.of().parseHex("0100007F" + "FFFFFF00" + "00008012");
        byte[] dst = new byte[12];

        assertThat(converter.isIdentity()).isFalse();
        assertThat(converter.convert(src, 0, src.length, dst, 0)).isEqualTo(12);

        assertThat(hex(dst)).isEqualTo("01000000" + "FFFFFFFF" + "000080FF");
    }

    @Test
    void onlyWholeFramesAreConverted() {
        PcmFormat in = PcmFormat.wire(RATE, 16, 1);
        PcmConverter converter = PcmConverter.between(in, PcmFormat.wire(RATE, 16, 2));
        byte[] dst = new byte[8];

        assertThat(converter.convert(HexFormat.of().parseHex("010002"), 0, 3, dst, 0)).isEqualTo(4);
        assertThat(hex(dst)).isEqualTo("0100010000000000");
        assertThat(converter.outputBytes(3)).isEqualTo(4);
        assertThat(converter.isIdentity()).isFalse();

        PcmConverter identity = PcmConverter.between(in, in);
        assertThat(identity.convert(HexFormat.of().parseHex("010002"), 0, 3, dst, 0)).isEqualTo(2);
    }

    @Test
    void convertsFromAnOffsetToAnOffset() {
        PcmConverter converter = PcmConverter.between(PcmFormat.wire(RATE, 16, 1), PcmFormat.wire(RATE, 32, 1));
        byte[] src = HexFormat.of().parseHex("AAAA" + "0100" + "FFFF");
        byte[] dst = new byte[12];

        assertThat(converter.convert(src, 2, 4, dst, 4)).isEqualTo(8);

        assertThat(hex(dst)).isEqualTo("00000000" + "00000100" + "0000FFFF");
    }

    @Test
    void aRateMismatchIsRefusedNamingBothRates() {
        PcmFormat in = PcmFormat.wire(44_100, 16, 2);
        PcmFormat out = PcmFormat.wire(48_000, 16, 2);

        assertThatThrownBy(() -> PcmConverter.between(in, out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("44100 Hz")
                .hasMessageContaining("48000 Hz");
    }

    @Test
    void s16ToS32AndBackIsExactForEveryValue() {
        assertRoundTripExact(PcmFormat.wire(RATE, 32, 1));
    }

    @Test
    void s16ToS24AndBackIsExactForEveryValue() {
        assertRoundTripExact(PcmFormat.wire(RATE, 24, 1));
    }

    @Test
    void s16ToF32AndBackIsExactForEveryValue() {
        assertRoundTripExact(new PcmFormat(RATE, 1, 32, 4, SampleEncoding.FLOAT, false));
    }

    @Test
    void s16ToF32GivesTheValueOver32768() {
        byte[] src = HexFormat.of().parseHex("0040" + "0080" + "FF7F");
        byte[] dst = new byte[12];

        PcmConverter.between(PcmFormat.wire(RATE, 16, 1), new PcmFormat(RATE, 1, 32, 4, SampleEncoding.FLOAT, true))
                .convert(src, 0, src.length, dst, 0);

        java.nio.ByteBuffer floats = java.nio.ByteBuffer.wrap(dst); // big-endian
        assertThat(floats.getFloat(0)).isEqualTo(0.5f);
        assertThat(floats.getFloat(4)).isEqualTo(-1.0f);
        assertThat(floats.getFloat(8)).isEqualTo(32767 / 32768f);
    }

    @Test
    void s16ToU8RoundsAndOffsets() {
        PcmFormat u8 = new PcmFormat(RATE, 1, 8, 1, SampleEncoding.UNSIGNED, false);
        byte[] src = HexFormat.of().parseHex("0000" + "FF7F" + "0080" + "8000" + "7F00" + "80FF");
        byte[] dst = new byte[6];

        PcmConverter.between(PcmFormat.wire(RATE, 16, 1), u8).convert(src, 0, src.length, dst, 0);

        // 0, 32767 (saturates at 127), -32768, 128 (0.5 -> 1), 127 (0.496 -> 0), -128 (-0.5 -> 0)
        assertThat(hex(dst)).isEqualTo("80" + "FF" + "00" + "81" + "80" + "80");
    }

    private static void assertRoundTripExact(PcmFormat middle) {
        PcmFormat s16 = PcmFormat.wire(RATE, 16, 1);
        byte[] src = new byte[65536 * 2];
        for (int v = Short.MIN_VALUE; v <= Short.MAX_VALUE; v++) {
            put(src, (v - Short.MIN_VALUE) * 2, 2, false, v);
        }
        byte[] mid = new byte[65536 * middle.bytesPerSample()];
        byte[] back = new byte[src.length];

        PcmConverter.between(s16, middle).convert(src, 0, src.length, mid, 0);
        PcmConverter.between(middle, s16).convert(mid, 0, mid.length, back, 0);

        for (int i = 0; i < src.length; i += 2) {
            if (src[i] != back[i] || src[i + 1] != back[i + 1]) {
                throw new AssertionError("value " + (i / 2 + Short.MIN_VALUE) + " came back as "
                        + (short) ((back[i] & 0xff) | back[i + 1] << 8) + " through " + middle);
            }
        }
    }

    private static int toMonoS32(PcmFormat in, int... channels) {
        byte[] src = new byte[in.frameSize()];
        for (int c = 0; c < channels.length; c++) {
            put(src, c * 4, 4, false, channels[c]);
        }
        byte[] dst = new byte[4];
        PcmConverter.between(in, PcmFormat.wire(RATE, 32, 1)).convert(src, 0, src.length, dst, 0);
        return java.nio.ByteBuffer.wrap(dst).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private static int toMonoS16(PcmFormat in, int... channels) {
        byte[] src = new byte[in.frameSize()];
        for (int c = 0; c < channels.length; c++) {
            put(src, c * 2, 2, false, channels[c]);
        }
        byte[] dst = new byte[2];
        PcmConverter.between(in, PcmFormat.wire(RATE, 16, 1)).convert(src, 0, src.length, dst, 0);
        return java.nio.ByteBuffer.wrap(dst).order(java.nio.ByteOrder.LITTLE_ENDIAN).getShort();
    }

    /** Store the low {@code size} bytes of {@code value} in the given byte order. */
    private static void put(byte[] b, int at, int size, boolean bigEndian, int value) {
        for (int i = 0; i < size; i++) {
            byte octet = (byte) (value >>> (8 * i));
            b[at + (bigEndian ? size - 1 - i : i)] = octet;
        }
    }

    private static String hex(byte[] b) {
        return hex(b, 0, b.length);
    }

    private static int bits(float value) {
        return Float.floatToRawIntBits(value);
    }

    private static String hex(byte[] b, int at, int length) {
        return HexFormat.of().withUpperCase().formatHex(b, at, at + length);
    }
}
