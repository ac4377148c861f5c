package dev.streamer.api;

/**
 * Layout of interleaved PCM audio.
 *
 * <p>{@code bits} is the number of significant bits of a sample and {@code bytesPerSample} the size
 * of its container: Snapcast's 24-bit format, for example, is 24 significant bits in the lower three
 * bytes of a 4-byte little-endian word ({@code bits=24, bytesPerSample=4}), while a 24-bit WAV file
 * packs them in 3 bytes. When the container is wider than the sample, the significant bits are
 * always the low-order bits of the container (as in ALSA's S24_LE and S24_BE), whatever the byte
 * order, and the unused high bits carry the sign extension.
 *
 * @param sampleRate frames per second, 1 to 768000
 * @param channels samples per frame, 1 to 32
 * @param bits significant bits per sample: 8, 16, 24 or 32 (32 for float)
 * @param bytesPerSample container size: 1 to 4, at least {@code bits / 8}
 * @param encoding signed, unsigned or float
 * @param bigEndian byte order of multi-byte samples
 */
public record PcmFormat(int sampleRate, int channels, int bits, int bytesPerSample,
                        SampleEncoding encoding, boolean bigEndian) {

    /** Snapcast's default and streamer's default wire format: 48 kHz, 16 bit, stereo. */
    public static final PcmFormat DEFAULT_WIRE = wire(48_000, 16, 2);

    public PcmFormat {
        if (sampleRate < 1 || sampleRate > 768_000) {
            throw new IllegalArgumentException("sample rate " + sampleRate + " Hz is outside 1..768000");
        }
        if (channels < 1 || channels > 32) {
            throw new IllegalArgumentException("channel count " + channels + " is outside 1..32");
        }
        if (bits != 8 && bits != 16 && bits != 24 && bits != 32) {
            throw new IllegalArgumentException("bit depth " + bits + " is not one of 8, 16, 24, 32");
        }
        if (bytesPerSample < (bits + 7) / 8 || bytesPerSample > 4) {
            throw new IllegalArgumentException(bits + "-bit samples cannot be stored in " + bytesPerSample + " bytes");
        }
        if (encoding == null) {
            throw new IllegalArgumentException("encoding is required");
        }
        if (encoding == SampleEncoding.FLOAT && (bits != 32 || bytesPerSample != 4)) {
            throw new IllegalArgumentException("float samples must be 32 bits in 4 bytes");
        }
    }

    /**
     * Return the wire format that Snapcast's {@code sampleformat=rate:bits:channels} describes:
     * signed little-endian, 24 bits in a 4-byte container.
     */
    public static PcmFormat wire(int sampleRate, int bits, int channels) {
        int container = bits == 24 ? 4 : bits / 8;
        return new PcmFormat(sampleRate, channels, bits, container, SampleEncoding.SIGNED, false);
    }

    /** Bytes in one frame (one sample of every channel). */
    public int frameSize() {
        return bytesPerSample * channels;
    }

    /** Bytes of audio per second. */
    public long bytesPerSecond() {
        return (long) frameSize() * sampleRate;
    }

    /** Bytes in {@code frames} frames. */
    public int bytes(int frames) {
        return Math.multiplyExact(frames, frameSize());
    }

    /** Bytes that hold {@code millis} milliseconds of audio, rounded down to whole frames. */
    public int bytesForMillis(long millis) {
        return Math.toIntExact(millis * sampleRate / 1000 * frameSize());
    }

    /** Duration of {@code bytes} bytes of audio in nanoseconds. */
    public long nanosFor(long bytes) {
        return bytes / frameSize() * 1_000_000_000L / sampleRate;
    }

    /** Snapcast's notation, {@code rate:bits:channels}. */
    public String snapcastNotation() {
        return sampleRate + ":" + bits + ":" + channels;
    }

    // equals and hashCode written out: a record's generated ones are bootstrapped at their first call
    // (ObjectMethods spins method handles, about 20 ms of start-up that no AOT cache holds), and the
    // engine compares formats on its way to the first byte.

    @Override
    public boolean equals(Object other) {
        return other instanceof PcmFormat that && sampleRate == that.sampleRate && channels == that.channels && bits == that.bits
                && bytesPerSample == that.bytesPerSample && encoding == that.encoding && bigEndian == that.bigEndian;
    }

    @Override
    public int hashCode() {
        int hash = sampleRate;
        hash = 31 * hash + channels;
        hash = 31 * hash + bits;
        hash = 31 * hash + bytesPerSample;
        hash = 31 * hash + encoding.ordinal();
        return 31 * hash + Boolean.hashCode(bigEndian);
    }

    /** Human-readable form such as {@code 48000 Hz s16le stereo}. */
    @Override
    public String toString() {
        String kind = switch (encoding) {
            case SIGNED -> "s";
            case UNSIGNED -> "u";
            case FLOAT -> "f";
        };
        String container = bytesPerSample * 8 != bits ? "in" + (bytesPerSample * 8) : "";
        String order = bytesPerSample == 1 ? "" : bigEndian ? "be" : "le";
        String layout = switch (channels) {
            case 1 -> "mono";
            case 2 -> "stereo";
            default -> channels + "ch";
        };
        return sampleRate + " Hz " + kind + bits + container + order + " " + layout;
    }
}
