package dev.streamer.transport.tcp;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.SampleEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The wire format as an endless WAV stream for HTTP players: a header whose RIFF and data sizes are
 * {@code 0xFFFFFFFF} (unknown, streaming), then the audio, converted where WAV stores it differently.
 *
 * <ul>
 *   <li>16- and 32-bit signed, 24 bits in 3 bytes, 32-bit float, 8-bit unsigned: as on the wire.
 *   <li>24 bits in a 4-byte container (Snapcast's {@code 48000:24:2}): packed into 3 bytes. WAV
 *       wants the valid bits of a wider container at its top (WAVE_FORMAT_EXTENSIBLE), the wire
 *       has them at the bottom; packed 24-bit PCM is what every player decodes, and a quarter smaller.
 *   <li>8-bit signed: offset to unsigned, as WAV stores 8-bit samples.
 * </ul>
 *
 * <p>Mono and stereo use the plain {@code fmt } chunk (format 1 PCM, 3 float; 44-byte header); more
 * channels use WAVE_FORMAT_EXTENSIBLE with the usual speaker mask (68-byte header). Big-endian
 * wire formats have no WAV form: {@link #of} returns null for them.
 */
final class WavStream {

    /** The RIFF and data chunk size of a stream whose length is not known. */
    static final int UNKNOWN_SIZE = 0xFFFF_FFFF;
    private static final short FORMAT_PCM = 1;
    private static final short FORMAT_FLOAT = 3;
    private static final short FORMAT_EXTENSIBLE = (short) 0xFFFE;
    // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT without their first two bytes: xxxx0000-0000-0010-8000-00aa00389b71
    private static final byte[] GUID_TAIL = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xaa, 0x00, 0x38,
        (byte) 0x9b, 0x71};

    private enum Conversion { COPY, PACK_24_IN_32, SIGNED_TO_UNSIGNED_8 }

    private final byte[] header;
    private final Conversion conversion;
    private final int inputSampleBytes;
    private final int outputSampleBytes;
    private final String description;

    private WavStream(byte[] header, Conversion conversion, int inputSampleBytes, int outputSampleBytes, String description) {
        this.header = header;
        this.conversion = conversion;
        this.inputSampleBytes = inputSampleBytes;
        this.outputSampleBytes = outputSampleBytes;
        this.description = description;
    }

    /** Return the WAV form of {@code wire}, or null if WAV cannot carry it (big-endian). */
    static WavStream of(PcmFormat wire) {
        if (wire.bigEndian() && wire.bytesPerSample() > 1) {
            return null;
        }
        Conversion conversion;
        int bits = wire.bits();
        int outBytes = wire.bytesPerSample();
        short tag = FORMAT_PCM;
        if (wire.encoding() == SampleEncoding.FLOAT) {
            conversion = Conversion.COPY;
            tag = FORMAT_FLOAT;
        } else if (bits == 8) {
            conversion = wire.encoding() == SampleEncoding.SIGNED ? Conversion.SIGNED_TO_UNSIGNED_8 : Conversion.COPY;
        } else if (wire.encoding() == SampleEncoding.UNSIGNED) {
            return null; // WAV has no unsigned samples wider than 8 bits
        } else if (bits == 24 && wire.bytesPerSample() == 4) {
            conversion = Conversion.PACK_24_IN_32;
            outBytes = 3;
        } else if (bits == wire.bytesPerSample() * 8) {
            conversion = Conversion.COPY;
        } else {
            return null; // e.g. 16 bits in 4 bytes: not a layout streamer sends
        }
        int channels = wire.channels();
        int blockAlign = outBytes * channels;
        boolean extensible = channels > 2;
        ByteBuffer h = ByteBuffer.allocate(extensible ? 68 : 44).order(ByteOrder.LITTLE_ENDIAN);
        h.put(ascii("RIFF")).putInt(UNKNOWN_SIZE).put(ascii("WAVE"));
        h.put(ascii("fmt ")).putInt(extensible ? 40 : 16);
        h.putShort(extensible ? FORMAT_EXTENSIBLE : tag).putShort((short) channels).putInt(wire.sampleRate())
                .putInt(wire.sampleRate() * blockAlign).putShort((short) blockAlign).putShort((short) (outBytes * 8));
        if (extensible) {
            h.putShort((short) 22).putShort((short) bits).putInt(channelMask(channels)).putShort(tag).put(GUID_TAIL);
        }
        h.put(ascii("data")).putInt(UNKNOWN_SIZE);
        String kind = wire.encoding() == SampleEncoding.FLOAT ? "f" : outBytes == 1 ? "u" : "s";
        String description = "WAV " + kind + (outBytes * 8) + (outBytes == 1 ? "" : "le") + " " + channels + "ch "
                + wire.sampleRate() + " Hz" + (conversion == Conversion.PACK_24_IN_32 ? " (24 bits packed in 3 bytes)" : "");
        return new WavStream(h.array(), conversion, wire.bytesPerSample(), outBytes, description);
    }

    /** Return a copy of the header: 44 bytes, or 68 with WAVE_FORMAT_EXTENSIBLE. */
    byte[] header() {
        return header.clone();
    }

    /** Return the header length. */
    int headerLength() {
        return header.length;
    }

    /** Put the header into {@code target} at its position. */
    void putHeader(ByteBuffer target) {
        target.put(header);
    }

    /** Return how many WAV bytes {@code wireBytes} bytes of whole frames become. */
    int outputBytes(int wireBytes) {
        return wireBytes / inputSampleBytes * outputSampleBytes;
    }

    /**
     * Convert {@code length} wire bytes of {@code source} from {@code offset} into {@code target}
     * from index 0; positions and limits stay as they are. Allocates nothing.
     *
     * @return the bytes written to {@code target}
     */
    int convert(ByteBuffer source, int offset, int length, ByteBuffer target) {
        switch (conversion) {
            case COPY -> target.put(0, source, offset, length);
            case PACK_24_IN_32 -> {
                int out = 0;
                for (int in = offset, end = offset + length; in < end; in += 4) {
                    target.put(out++, source.get(in)); // little-endian: the low three bytes hold the 24 bits
                    target.put(out++, source.get(in + 1));
                    target.put(out++, source.get(in + 2));
                }
            }
            case SIGNED_TO_UNSIGNED_8 -> {
                for (int i = 0; i < length; i++) {
                    target.put(i, (byte) (source.get(offset + i) ^ 0x80));
                }
            }
        }
        return outputBytes(length);
    }

    /** Return e.g. {@code WAV s16le 2ch 48000 Hz}. */
    @Override
    public String toString() {
        return description;
    }

    /** The speaker positions of the usual layouts (ksmedia.h); 0 leaves them unassigned. */
    private static int channelMask(int channels) {
        return switch (channels) {
            case 3 -> 0x7; // FL FR FC
            case 4 -> 0x33; // FL FR BL BR (quad)
            case 5 -> 0x37; // FL FR FC BL BR
            case 6 -> 0x3F; // 5.1
            case 7 -> 0x13F; // 6.1: 5.1 + BC
            case 8 -> 0x63F; // 7.1: 5.1 + SL SR
            default -> 0;
        };
    }

    private static byte[] ascii(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
