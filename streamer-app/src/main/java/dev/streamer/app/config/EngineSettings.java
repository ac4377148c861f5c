package dev.streamer.app.config;

import dev.streamer.api.PcmFormat;
import dev.streamer.core.AdaptivePolicy;
import dev.streamer.core.EngineConfig;
import dev.streamer.core.NetworkPreset;
import dev.streamer.core.ReconnectPolicy;
import dev.streamer.core.SilencePolicy;
import dev.streamer.core.ThreadPriority;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Resolves the engine's buffering and behaviour in four layers, each overriding the one before:
 * built-in defaults, the network preset (profile field {@code preset} or {@code --preset}), the
 * profile's own fields, then the command line ({@code --chunk}, {@code --silence},
 * {@code --thread-priority}, {@code --set engine.NAME=VALUE}). Every value remembers where it came
 * from, so that an error names it.
 */
final class EngineSettings {
    static final String PRESET = "preset";
    static final String CHUNK = "chunkFrames";
    static final String RING = "ringMillis";
    static final String LATENCY = "latencyTargetMillis";
    static final String ADAPTIVE_MIN = "adaptiveMinMillis";
    static final String ADAPTIVE_MAX = "adaptiveMaxMillis";
    static final String ADAPTIVE_JITTER = "adaptiveJitterMillis";
    static final String ADAPTIVE_STABLE = "adaptiveStableSeconds";
    static final String SILENCE = "silence";
    static final String SILENCE_SECONDS = "silenceSeconds";
    static final String SILENCE_THRESHOLD = "silenceThresholdDbfs";
    static final String HEARTBEAT = "heartbeatSeconds";
    static final String PRIORITY = "threadPriority";

    /** Engine fields of a profile (besides {@code preset}) and of {@code --set engine.NAME}, in documentation order. */
    static final List<String> FIELDS = List.of(CHUNK, RING, LATENCY, ADAPTIVE_MIN, ADAPTIVE_MAX, ADAPTIVE_JITTER, ADAPTIVE_STABLE,
            SILENCE, SILENCE_SECONDS, SILENCE_THRESHOLD, HEARTBEAT, PRIORITY);
    private static final Set<String> DECIMAL = Set.of(ADAPTIVE_JITTER, SILENCE_THRESHOLD);
    private static final Set<String> WORDS = Set.of(SILENCE, PRIORITY);

    private record Value(Object value, String origin) {
    }

    private EngineSettings() {
    }

    /**
     * @param profile the profile (possibly empty); {@code where} names it
     * @param engineSets {@code --set engine.NAME=VALUE} values by name
     */
    static EngineConfig resolve(ObjectNode profile, String where, Overrides flags, Map<String, String> engineSets, PcmFormat format)
            throws ConfigException {
        NetworkPreset preset = preset(profile, where, flags);
        String presetOrigin = "preset " + preset.label();
        Map<String, Value> values = new LinkedHashMap<>();
        values.put(CHUNK, new Value(preset.chunkFrames(), presetOrigin));
        values.put(RING, new Value(preset.ringMillis(), presetOrigin));
        values.put(LATENCY, new Value(preset.latencyTargetMillis(), presetOrigin));
        values.put(ADAPTIVE_MIN, new Value(preset.adaptiveMinMillis(), presetOrigin));
        values.put(ADAPTIVE_MAX, new Value(preset.adaptiveMaxMillis(), presetOrigin));
        values.put(ADAPTIVE_JITTER, new Value((double) preset.jitterBandMillis(), presetOrigin));
        values.put(ADAPTIVE_STABLE, new Value((int) AdaptivePolicy.DEFAULT_STABLE_AFTER.toSeconds(), "built-in default"));
        values.put(SILENCE, new Value(SilencePolicy.DEFAULT.mode().label(), "built-in default"));
        values.put(SILENCE_SECONDS, new Value((int) SilencePolicy.DEFAULT.after().toSeconds(), "built-in default"));
        values.put(SILENCE_THRESHOLD, new Value(SilencePolicy.DEFAULT.thresholdDbfs(), "built-in default"));
        values.put(HEARTBEAT, new Value((int) EngineConfig.DEFAULT_HEARTBEAT.toSeconds(), "built-in default"));
        values.put(PRIORITY, new Value(ThreadPriority.NORMAL.label(), "built-in default"));

        String lastLayer = presetOrigin;
        for (String field : FIELDS) {
            JsonNode node = profile.get(field);
            if (node != null) {
                values.put(field, new Value(fromJson(node, field, where + "." + field), where + "." + field));
                lastLayer = where;
            }
        }
        StringBuilder flagNames = new StringBuilder();
        if (flags.chunkFrames() != null) {
            values.put(CHUNK, new Value(flags.chunkFrames(), flags.origin("--chunk")));
            flagNames.append(flags.origin("--chunk"));
        }
        if (flags.silence() != null) {
            String origin = flags.origin("--silence");
            values.put(SILENCE, new Value(word(flags.silence(), SILENCE, origin), origin));
            flagNames.append(flagNames.isEmpty() ? "" : ", ").append(origin);
        }
        if (flags.threadPriority() != null) {
            String origin = flags.origin("--thread-priority");
            values.put(PRIORITY, new Value(word(flags.threadPriority(), PRIORITY, origin), origin));
            flagNames.append(flagNames.isEmpty() ? "" : ", ").append(origin);
        }
        for (Map.Entry<String, String> set : engineSets.entrySet()) {
            String name = set.getKey();
            String flag = "--set engine." + name;
            if (!FIELDS.contains(name)) {
                throw new ConfigException(flag + ": unknown engine setting '" + name + "'" + Suggestions.didYouMean(name, FIELDS)
                        + "; engine settings: " + String.join(", ", FIELDS) + " (the preset is chosen with --preset)");
            }
            values.put(name, new Value(fromText(set.getValue(), name, flag), flag));
            flagNames.append(flagNames.isEmpty() ? "" : ", ").append(flag);
        }
        if (!flagNames.isEmpty()) {
            lastLayer = flagNames.toString();
        }

        try {
            AdaptivePolicy adaptive = new AdaptivePolicy(integer(values, ADAPTIVE_MIN), integer(values, ADAPTIVE_MAX),
                    decimal(values, ADAPTIVE_JITTER), Duration.ofSeconds(integer(values, ADAPTIVE_STABLE)),
                    AdaptivePolicy.DEFAULT_GROW_INTERVAL);
            SilencePolicy silence = new SilencePolicy(SilencePolicy.Mode.valueOf(text(values, SILENCE).toUpperCase(Locale.ROOT)),
                    Duration.ofSeconds(integer(values, SILENCE_SECONDS)), decimal(values, SILENCE_THRESHOLD));
            return new EngineConfig(format, integer(values, CHUNK), integer(values, RING), integer(values, LATENCY),
                    ReconnectPolicy.DEFAULT, preset, adaptive, silence, Duration.ofSeconds(integer(values, HEARTBEAT)),
                    ThreadPriority.valueOf(text(values, PRIORITY).toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(lastLayer + ": " + e.getMessage() + "; in effect: " + describe(values));
        }
    }

    private static NetworkPreset preset(ObjectNode profile, String where, Overrides flags) throws ConfigException {
        String name;
        String origin;
        if (flags.preset() != null) {
            name = flags.preset();
            origin = flags.origin("--preset");
        } else {
            JsonNode node = profile.get(PRESET);
            if (node == null) {
                return NetworkPreset.DEFAULT;
            }
            origin = where + "." + PRESET;
            if (!node.isString()) {
                throw new ConfigException(origin + ": expected a preset name, found " + Json.kind(node) + "; presets: " + presetNames());
            }
            name = node.asString();
        }
        String given = name;
        return NetworkPreset.byLabel(given).orElseThrow(() -> new ConfigException(origin + ": unknown preset '" + given + "'"
                + Suggestions.didYouMean(given, presetNames()) + "; presets: " + String.join(", ", presetNames())));
    }

    /** Write every engine field of {@code engine} into {@code profile}, under the names a profile uses. */
    static void write(EngineConfig engine, ObjectNode profile) {
        profile.put(PRESET, engine.preset().label());
        profile.put(CHUNK, engine.chunkFrames());
        profile.put(RING, engine.ringMillis());
        profile.put(LATENCY, engine.latencyTargetMillis());
        profile.put(ADAPTIVE_MIN, engine.adaptive().minMillis());
        profile.put(ADAPTIVE_MAX, engine.adaptive().maxMillis());
        profile.put(ADAPTIVE_JITTER, engine.adaptive().jitterBandMillis());
        profile.put(ADAPTIVE_STABLE, engine.adaptive().stableAfter().toSeconds());
        profile.put(SILENCE, engine.silence().mode().label());
        profile.put(SILENCE_SECONDS, engine.silence().after().toSeconds());
        profile.put(SILENCE_THRESHOLD, engine.silence().thresholdDbfs());
        profile.put(HEARTBEAT, engine.heartbeat().toSeconds());
        profile.put(PRIORITY, engine.threadPriority().label());
    }

    static List<String> presetNames() {
        return Arrays.stream(NetworkPreset.values()).map(NetworkPreset::label).toList();
    }

    private static Object fromJson(JsonNode node, String field, String where) throws ConfigException {
        if (WORDS.contains(field)) {
            if (!node.isString()) {
                throw new ConfigException(where + ": expected one of " + String.join(", ", words(field)) + ", found " + Json.kind(node));
            }
            return word(node.asString(), field, where);
        }
        if (DECIMAL.contains(field)) {
            if (!node.isNumber()) {
                throw new ConfigException(where + ": expected a number, found " + Json.kind(node));
            }
            return node.asDouble();
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new ConfigException(where + ": expected a whole number, found " + Json.kind(node));
        }
        return node.asInt();
    }

    static Object fromText(String text, String field, String where) throws ConfigException {
        String value = text.trim();
        if (WORDS.contains(field)) {
            return word(value, field, where);
        }
        try {
            return DECIMAL.contains(field) ? (Object) Double.parseDouble(value) : (Object) Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(where + ": expected " + (DECIMAL.contains(field) ? "a number" : "a whole number")
                    + ", found \"" + text + "\"");
        }
    }

    private static List<String> words(String field) {
        return field.equals(SILENCE) ? List.of("send", "pause") : List.of("normal", "high");
    }

    private static String word(String given, String field, String where) throws ConfigException {
        String value = given.trim().toLowerCase(Locale.ROOT);
        List<String> valid = words(field);
        if (!valid.contains(value)) {
            throw new ConfigException(where + ": '" + given + "' is not valid" + Suggestions.didYouMean(value, valid) + "; valid: "
                    + String.join(", ", valid));
        }
        return value;
    }

    private static int integer(Map<String, Value> values, String field) {
        return (Integer) values.get(field).value();
    }

    private static double decimal(Map<String, Value> values, String field) {
        return ((Number) values.get(field).value()).doubleValue();
    }

    private static String text(Map<String, Value> values, String field) {
        return (String) values.get(field).value();
    }

    private static String describe(Map<String, Value> values) {
        StringBuilder text = new StringBuilder();
        for (String field : List.of(CHUNK, RING, LATENCY, ADAPTIVE_MIN, ADAPTIVE_MAX)) {
            Value v = values.get(field);
            text.append(text.isEmpty() ? "" : ", ").append(field).append(' ').append(v.value()).append(" (").append(v.origin()).append(')');
        }
        return text.toString();
    }
}
