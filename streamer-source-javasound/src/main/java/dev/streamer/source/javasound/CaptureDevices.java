package dev.streamer.source.javasound;

import dev.streamer.api.spi.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.TargetDataLine;

/** Finds the mixers that can capture, picks the default or the one the user named, and describes them. */
final class CaptureDevices {

    /** The property (system or {@code sound.properties}) with which Java Sound picks its default capture mixer. */
    static final String DEFAULT_LINE_PROPERTY = TargetDataLine.class.getName();

    /** A mixer with at least one {@link TargetDataLine}, and every format its capture lines list. */
    record Capture(Mixer.Info info, Mixer mixer, List<AudioFormat> formats) {
        String name() {
            return info.getName();
        }
    }

    private CaptureDevices() {
    }

    /**
     * List the capture mixers in Java Sound's order. Port mixers are left out because their target
     * lines are {@link javax.sound.sampled.Port}s (volume controls), not data lines.
     */
    static List<Capture> list() throws SourceException {
        Mixer.Info[] infos;
        try {
            infos = AudioSystem.getMixerInfo();
        } catch (RuntimeException | LinkageError e) {
            throw new SourceException("Java Sound is not available: " + e, e);
        }
        List<Capture> captures = new ArrayList<>();
        for (Mixer.Info info : infos) {
            Mixer mixer;
            try {
                mixer = AudioSystem.getMixer(info);
            } catch (RuntimeException e) {
                continue; // a provider that cannot produce its own mixer has nothing we could open
            }
            List<AudioFormat> formats = new ArrayList<>();
            boolean canCapture = false;
            for (Line.Info lineInfo : mixer.getTargetLineInfo()) {
                if (lineInfo instanceof DataLine.Info dataLine
                        && TargetDataLine.class.isAssignableFrom(dataLine.getLineClass())) {
                    canCapture = true;
                    formats.addAll(List.of(dataLine.getFormats()));
                }
            }
            if (canCapture) {
                captures.add(new Capture(info, mixer, List.copyOf(formats)));
            }
        }
        return captures;
    }

    /**
     * Return the index of the mixer {@link AudioSystem#getTargetDataLine} would use.
     *
     * <p>Java Sound does not say which mixer a default line comes from, so this repeats its rule:
     * the mixer named by {@code javax.sound.sampled.TargetDataLine} ({@code provider#name}, from a
     * system property or {@code sound.properties}), else the first mixer that can capture.
     *
     * @param spec the property's value, {@code ""} when unset
     */
    static int defaultIndex(List<Mixer.Info> captures, String spec) {
        if (captures.isEmpty()) {
            return -1;
        }
        int hash = spec.indexOf('#');
        String provider = hash < 0 ? spec : spec.substring(0, hash);
        String instance = hash < 0 ? "" : spec.substring(hash + 1);
        if (!instance.isEmpty()) {
            int fromProvider = -1;
            int anyProvider = -1;
            for (int i = 0; i < captures.size(); i++) {
                if (captures.get(i).getName().equals(instance)) {
                    if (fromProvider < 0 && comesFrom(captures.get(i), provider)) {
                        fromProvider = i;
                    }
                    if (anyProvider < 0) {
                        anyProvider = i;
                    }
                }
            }
            if (fromProvider >= 0) {
                return fromProvider;
            }
            if (anyProvider >= 0) {
                return anyProvider;
            }
        } else if (!provider.isEmpty()) {
            for (int i = 0; i < captures.size(); i++) {
                if (comesFrom(captures.get(i), provider)) {
                    return i;
                }
            }
        }
        return 0;
    }

    // Mixer.Info does not name its provider; the JDK's (and most others') infos are nested in it.
    private static boolean comesFrom(Mixer.Info info, String providerClass) {
        if (providerClass.isEmpty()) {
            return false;
        }
        for (Class<?> c = info.getClass(); c != null; c = c.getEnclosingClass()) {
            if (c.getName().equals(providerClass)) {
                return true;
            }
        }
        return false;
    }

    /** Read {@code javax.sound.sampled.TargetDataLine} the way Java Sound does: system property first. */
    static String defaultSpec() {
        String value = System.getProperty(DEFAULT_LINE_PROPERTY);
        if (value == null) {
            String file = System.getProperty("javax.sound.config.file");
            Path path = file != null ? Path.of(file) : Path.of(System.getProperty("java.home"), "conf", "sound.properties");
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(path)) {
                properties.load(in);
            } catch (IOException | RuntimeException e) {
                // no file is the normal case; Java Sound ignores an unreadable one too
            }
            value = properties.getProperty(DEFAULT_LINE_PROPERTY);
        }
        return value == null ? "" : value.strip();
    }

    /**
     * Return the index of the one name that {@code device} selects: a case-insensitive exact match
     * wins, otherwise the single name that contains it.
     *
     * @throws SourceException if no name or several names match; the message lists them
     */
    static int select(List<String> names, String device) throws SourceException {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(device)) {
                return i;
            }
        }
        String wanted = device.toLowerCase(Locale.ROOT);
        List<Integer> matches = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).toLowerCase(Locale.ROOT).contains(wanted)) {
                matches.add(i);
            }
        }
        if (matches.size() == 1) {
            return matches.getFirst();
        }
        if (matches.isEmpty()) {
            throw new SourceException("No capture device matches \"" + device + "\". Capture devices: "
                    + quoted(names) + ".");
        }
        throw new SourceException("\"" + device + "\" matches " + matches.size() + " capture devices: "
                + quoted(matches.stream().map(names::get).toList()) + ". Give a longer part of the name.");
    }

    static String quoted(List<String> names) {
        return names.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "));
    }

    /** Return what the driver says about a mixer: vendor, description, version. */
    static String description(Mixer.Info info) {
        List<String> parts = new ArrayList<>();
        for (String part : new String[] {info.getVendor(), info.getDescription(), info.getVersion()}) {
            if (part != null && !part.isBlank() && !parts.contains(part.strip())) {
                parts.add(part.strip());
            }
        }
        return String.join(", ", parts);
    }

    /**
     * Describe capture formats in words, one line per sample layout and rate, e.g.
     * {@code any rate, s16le, 1-32 ch}. Non-PCM encodings (A-law, mu-law) are left out: the engine
     * cannot convert them.
     */
    static List<String> formatsInWords(List<AudioFormat> formats) {
        Map<String, TreeSet<Integer>> channelsByLayout = new LinkedHashMap<>();
        for (AudioFormat format : formats) {
            String layout = layoutWord(format);
            if (layout == null) {
                continue;
            }
            String rate = format.getSampleRate() == AudioSystem.NOT_SPECIFIED
                    ? "any rate"
                    : Math.round(format.getSampleRate()) + " Hz";
            channelsByLayout.computeIfAbsent(rate + ", " + layout, k -> new TreeSet<>()).add(format.getChannels());
        }
        List<String> words = new ArrayList<>();
        channelsByLayout.forEach((key, channels) -> words.add(key + ", " + channelsWord(channels)));
        return words;
    }

    /** Return e.g. {@code s16le}, {@code s24in32le}, {@code u8}, {@code f32le}; null if not PCM. */
    static String layoutWord(AudioFormat format) {
        String kind = FormatNegotiation.kind(format.getEncoding());
        if (kind == null) {
            return null;
        }
        int bits = format.getSampleSizeInBits();
        if (bits == AudioSystem.NOT_SPECIFIED) {
            return kind + "?";
        }
        int container = format.getChannels() > 0 && format.getFrameSize() > 0
                ? format.getFrameSize() / format.getChannels()
                : (bits + 7) / 8;
        String padded = container * 8 != bits ? "in" + container * 8 : "";
        String order = container <= 1 ? "" : format.isBigEndian() ? "be" : "le";
        return kind + bits + padded + order;
    }

    private static String channelsWord(TreeSet<Integer> channels) {
        if (channels.contains(AudioSystem.NOT_SPECIFIED)) {
            return "any ch";
        }
        List<String> runs = new ArrayList<>();
        Integer runStart = null;
        Integer previous = null;
        for (int c : channels) {
            if (runStart == null) {
                runStart = c;
            } else if (c != previous + 1) {
                runs.add(run(runStart, previous));
                runStart = c;
            }
            previous = c;
        }
        if (runStart != null) {
            runs.add(run(runStart, previous));
        }
        return String.join(", ", runs) + " ch";
    }

    private static String run(int from, int to) {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }
}
