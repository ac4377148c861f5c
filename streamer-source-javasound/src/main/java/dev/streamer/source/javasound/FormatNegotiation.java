package dev.streamer.source.javasound;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.SampleEncoding;
import dev.streamer.api.spi.SourceException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;

/**
 * Chooses the capture format: the wire format if the device has it, otherwise the best layout the
 * device has at the same sample rate. The engine converts channels, bit depth, encoding and byte
 * order; it never resamples, so a missing rate is an error.
 */
final class FormatNegotiation {

    private FormatNegotiation() {
    }

    /**
     * Return the formats to try, best first.
     *
     * <p>Order: the preferred format itself; then the same channel count (else the nearest, more
     * channels before fewer); then signed integers of at least the preferred depth (smallest
     * first), float, narrower signed integers, unsigned; then the preferred container size and byte
     * order. A {@code NOT_SPECIFIED} field in a listed format means the device takes any value, so
     * the preferred one is used.
     *
     * @throws SourceException if nothing usable exists at the preferred rate; the message lists
     *     the rates the device has
     */
    static List<PcmFormat> candidates(PcmFormat preferred, List<AudioFormat> supported, String device)
            throws SourceException {
        Set<PcmFormat> unique = new LinkedHashSet<>();
        for (AudioFormat format : supported) {
            PcmFormat candidate = concrete(format, preferred);
            if (candidate != null) {
                unique.add(candidate);
            }
        }
        if (unique.isEmpty()) {
            throw new SourceException(noRateMessage(preferred, supported, device));
        }
        List<PcmFormat> ordered = new ArrayList<>(unique);
        ordered.sort(Comparator.comparingInt((PcmFormat f) -> channelRank(f, preferred))
                .thenComparingInt(f -> sampleRank(f, preferred))
                .thenComparingInt(f -> f.bytesPerSample() == preferred.bytesPerSample() ? 0 : f.bytesPerSample())
                .thenComparingInt(f -> f.bigEndian() == preferred.bigEndian() ? 0 : 1));
        return ordered;
    }

    /** Turn a listed (possibly open-ended) format into a concrete one at the preferred rate, or null. */
    static PcmFormat concrete(AudioFormat format, PcmFormat preferred) {
        SampleEncoding encoding = encoding(format.getEncoding());
        if (encoding == null) {
            return null;
        }
        float rate = format.getSampleRate();
        if (rate != AudioSystem.NOT_SPECIFIED && Math.abs(rate - preferred.sampleRate()) > 0.5f) {
            return null;
        }
        int channels = format.getChannels() == AudioSystem.NOT_SPECIFIED ? preferred.channels() : format.getChannels();
        int bits = format.getSampleSizeInBits();
        if (bits == AudioSystem.NOT_SPECIFIED) {
            bits = encoding == SampleEncoding.FLOAT ? 32 : preferred.bits();
        }
        int container;
        if (format.getFrameSize() != AudioSystem.NOT_SPECIFIED && format.getChannels() != AudioSystem.NOT_SPECIFIED) {
            if (channels <= 0 || format.getFrameSize() % channels != 0) {
                return null;
            }
            container = format.getFrameSize() / channels;
        } else {
            container = bits == preferred.bits() ? preferred.bytesPerSample() : (bits + 7) / 8;
        }
        boolean bigEndian = container > 1 && format.isBigEndian();
        try {
            return new PcmFormat(preferred.sampleRate(), channels, bits, container, encoding, bigEndian);
        } catch (IllegalArgumentException e) {
            return null; // a layout streamer cannot describe, e.g. 12-bit samples or 33 channels
        }
    }

    /** Return the Java Sound form of a PCM format; 24 bits in a 4-byte container keeps its container. */
    static AudioFormat toAudioFormat(PcmFormat format) {
        AudioFormat.Encoding encoding = switch (format.encoding()) {
            case SIGNED -> AudioFormat.Encoding.PCM_SIGNED;
            case UNSIGNED -> AudioFormat.Encoding.PCM_UNSIGNED;
            case FLOAT -> AudioFormat.Encoding.PCM_FLOAT;
        };
        boolean bigEndian = format.bytesPerSample() > 1 && format.bigEndian();
        return new AudioFormat(encoding, format.sampleRate(), format.bits(), format.channels(),
                format.frameSize(), format.sampleRate(), bigEndian);
    }

    /** Return the streamer form of a fully specified Java Sound PCM format. */
    static PcmFormat toPcmFormat(AudioFormat format) {
        SampleEncoding encoding = encoding(format.getEncoding());
        if (encoding == null) {
            throw new IllegalArgumentException("not a PCM format: " + format);
        }
        int channels = format.getChannels();
        return new PcmFormat(Math.round(format.getSampleRate()), channels, format.getSampleSizeInBits(),
                format.getFrameSize() / channels, encoding, format.getFrameSize() / channels > 1 && format.isBigEndian());
    }

    static SampleEncoding encoding(AudioFormat.Encoding encoding) {
        if (AudioFormat.Encoding.PCM_SIGNED.equals(encoding)) {
            return SampleEncoding.SIGNED;
        }
        if (AudioFormat.Encoding.PCM_UNSIGNED.equals(encoding)) {
            return SampleEncoding.UNSIGNED;
        }
        if (AudioFormat.Encoding.PCM_FLOAT.equals(encoding)) {
            return SampleEncoding.FLOAT;
        }
        return null;
    }

    /** Return {@code s}, {@code u} or {@code f} as in {@code s16le}; null if not PCM. */
    static String kind(AudioFormat.Encoding encoding) {
        SampleEncoding e = encoding(encoding);
        if (e == null) {
            return null;
        }
        return switch (e) {
            case SIGNED -> "s";
            case UNSIGNED -> "u";
            case FLOAT -> "f";
        };
    }

    private static int channelRank(PcmFormat f, PcmFormat preferred) {
        int distance = Math.abs(f.channels() - preferred.channels());
        // more channels lose nothing (the engine keeps the first ones), fewer do
        return distance * 2 + (f.channels() < preferred.channels() ? 1 : 0);
    }

    private static int sampleRank(PcmFormat f, PcmFormat preferred) {
        if (f.encoding() == preferred.encoding() && f.bits() == preferred.bits()) {
            return 0;
        }
        return switch (f.encoding()) {
            case SIGNED -> f.bits() >= preferred.bits() ? 100 + f.bits() : 300 - f.bits();
            case FLOAT -> 200;
            case UNSIGNED -> 400 - f.bits();
        };
    }

    private static String noRateMessage(PcmFormat preferred, List<AudioFormat> supported, String device) {
        TreeSet<Integer> rates = new TreeSet<>();
        boolean anyPcm = false;
        for (AudioFormat format : supported) {
            if (encoding(format.getEncoding()) != null) {
                anyPcm = true;
                if (format.getSampleRate() != AudioSystem.NOT_SPECIFIED) {
                    rates.add(Math.round(format.getSampleRate()));
                }
            }
        }
        if (!anyPcm) {
            return "Capture device \"" + device + "\" offers no PCM format streamer can use (it lists: "
                    + supported.stream().map(AudioFormat::toString).distinct().limit(5).collect(Collectors.joining("; ")) + ").";
        }
        if (rates.isEmpty()) {
            return "Capture device \"" + device + "\" has no PCM layout streamer can use at " + preferred.sampleRate() + " Hz.";
        }
        return "Capture device \"" + device + "\" cannot capture at " + preferred.sampleRate() + " Hz; it supports "
                + rates.stream().map(r -> r + " Hz").collect(Collectors.joining(", "))
                + ". Set the stream's sample rate to one of these (streamer does not resample).";
    }
}
