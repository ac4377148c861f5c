package dev.streamer.source.stdin;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.SampleEncoding;

/**
 * Settings of the {@code stdin} source: the format of the raw PCM on standard input, which has no
 * header to say it. They must match the producer, e.g. {@code parec --raw --format=s16le
 * --rate=48000 --channels=2} is the default.
 *
 * @param rate frames per second, 1 to 768000 (it must equal the wire rate: streamer does not resample)
 * @param bits significant bits per sample: 16, 24 or 32
 * @param channels samples per frame, 1 to 32 (the engine keeps the first two, or copies mono)
 * @param encoding {@code s} signed, {@code u} unsigned, {@code f} 32-bit float
 * @param bigEndian byte order of each sample; little-endian ({@code false}) is what PCs produce
 * @param bytesPerSample the container of one sample: {@code 0} packs it in {@code bits/8} bytes
 *     ({@code parec --format=s24le}); {@code 4} holds 24 bits in the low bytes of a 32-bit word
 *     ({@code s24-32le}, MPD's and Snapcast's 24-bit format)
 */
public record StdinSettings(int rate, int bits, int channels, String encoding, boolean bigEndian, int bytesPerSample) {

    /** 48 kHz, signed 16-bit little-endian stereo: {@code parec --raw}'s and Snapcast's default. */
    public static final StdinSettings DEFAULTS = new StdinSettings(48_000, 16, 2, "s", false, 0);

    public StdinSettings {
        if (rate < 1 || rate > 768_000) {
            throw new IllegalArgumentException("rate " + rate + " is outside 1..768000 (frames per second on standard input;"
                    + " it must equal the wire rate)");
        }
        if (bits != 16 && bits != 24 && bits != 32) {
            throw new IllegalArgumentException("bits " + bits + " is not valid; valid: 16, 24, 32 (significant bits per sample)");
        }
        if (channels < 1 || channels > 32) {
            throw new IllegalArgumentException("channels " + channels + " is outside 1..32 (samples per frame)");
        }
        if (encoding == null || !(encoding.equals("s") || encoding.equals("u") || encoding.equals("f"))) {
            throw new IllegalArgumentException("encoding " + (encoding == null ? "is required" : "\"" + encoding + "\" is not valid")
                    + "; valid: s (signed), u (unsigned), f (32-bit float)");
        }
        if (encoding.equals("f") && bits != 32) {
            throw new IllegalArgumentException("encoding f (float) needs bits 32, not " + bits);
        }
        if (bytesPerSample != 0 && (bytesPerSample < bits / 8 || bytesPerSample > 4)) {
            throw new IllegalArgumentException("bytesPerSample " + bytesPerSample + " cannot hold " + bits + "-bit samples; valid: 0 (packed, "
                    + bits / 8 + " bytes)" + (bits < 32 ? " or " + (bits / 8) + ".." + 4 : " or 4"));
        }
    }

    /** Return the format these settings describe. */
    PcmFormat format() {
        SampleEncoding sampleEncoding = switch (encoding) {
            case "u" -> SampleEncoding.UNSIGNED;
            case "f" -> SampleEncoding.FLOAT;
            default -> SampleEncoding.SIGNED;
        };
        return new PcmFormat(rate, channels, bits, bytesPerSample == 0 ? bits / 8 : bytesPerSample, sampleEncoding, bigEndian);
    }
}
