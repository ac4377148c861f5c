package dev.streamer.bench;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.SampleEncoding;
import dev.streamer.core.internal.PcmConverter;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the capture thread does per read: convert one read (one 512-frame chunk at the ethernet
 * preset, 10.7 ms at 48 kHz) from each layout a source may deliver to the default wire format,
 * 48 kHz/16-bit stereo signed little-endian.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ConversionBench {
    static final int FRAMES = 512;

    /** The source layout: encoding, bits, container bytes, byte order and channels. */
    @Param({"s16le-2ch", "s16be-2ch", "s16le-1ch", "s16le-6ch", "s24le3-2ch", "s24le4-2ch", "s32le-2ch", "f32le-2ch", "u8-2ch"})
    public String layout;

    private PcmConverter converter;
    private byte[] in;
    private byte[] out;

    @Setup
    public void setUp() {
        PcmFormat source = parse(layout);
        converter = PcmConverter.between(source, PcmFormat.DEFAULT_WIRE);
        in = new byte[source.bytes(FRAMES)];
        new SplittableRandom(1).nextBytes(in);
        if (source.encoding() == SampleEncoding.FLOAT) {
            // random bytes are mostly NaN or huge as floats: fill with samples in -1..1
            SplittableRandom random = new SplittableRandom(2);
            for (int i = 0; i < in.length; i += 4) {
                int bits = Float.floatToRawIntBits((float) random.nextDouble(-1, 1));
                in[i] = (byte) bits;
                in[i + 1] = (byte) (bits >> 8);
                in[i + 2] = (byte) (bits >> 16);
                in[i + 3] = (byte) (bits >> 24);
            }
        }
        out = new byte[converter.outputBytes(in.length)];
    }

    @Benchmark
    public int convert() {
        return converter.convert(in, 0, in.length, out, 0);
    }

    static PcmFormat parse(String layout) {
        String[] parts = layout.split("-");
        int channels = Integer.parseInt(parts[1].replace("ch", ""));
        String sample = parts[0];
        return switch (sample) {
            case "s16le" -> new PcmFormat(48_000, channels, 16, 2, SampleEncoding.SIGNED, false);
            case "s16be" -> new PcmFormat(48_000, channels, 16, 2, SampleEncoding.SIGNED, true);
            case "s24le3" -> new PcmFormat(48_000, channels, 24, 3, SampleEncoding.SIGNED, false);
            case "s24le4" -> new PcmFormat(48_000, channels, 24, 4, SampleEncoding.SIGNED, false);
            case "s32le" -> new PcmFormat(48_000, channels, 32, 4, SampleEncoding.SIGNED, false);
            case "f32le" -> new PcmFormat(48_000, channels, 32, 4, SampleEncoding.FLOAT, false);
            case "u8" -> new PcmFormat(48_000, channels, 8, 1, SampleEncoding.UNSIGNED, false);
            default -> throw new IllegalArgumentException("unknown layout " + layout);
        };
    }
}
