package dev.streamer.app.config;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.SourceProvider;
import dev.streamer.api.spi.TransportProvider;
import dev.streamer.core.EngineConfig;
import dev.streamer.core.PluginException;
import dev.streamer.core.PluginRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything needed to build an engine, resolved from built-in defaults, then the network preset,
 * then the profile, then the command line (see {@link EngineSettings} for the engine's part).
 *
 * @param profile the profile used, or {@code (built-in defaults)}
 * @param engine buffering and wire format
 * @param sourceProvider the source plugin
 * @param sourceSettings its settings record
 * @param transportProvider the transport plugin
 * @param transportSettings its settings record
 * @param sourceChosen whether a layer (profile, environment, flag) named the source plugin or a
 *     device, rather than the built-in default taking its place
 */
public record StreamSetup(String profile, EngineConfig engine, SourceProvider<?> sourceProvider, Record sourceSettings,
                          TransportProvider<?> transportProvider, Record transportSettings, boolean sourceChosen) {

    /**
     * The source plugins a profile means when it names none, best first: native PulseAudio (or
     * PipeWire through its PulseAudio server), then Java Sound, which works everywhere but costs more
     * CPU and latency on Linux (it reaches PulseAudio through ALSA's plugin).
     */
    public static final List<String> DEFAULT_SOURCES = List.of("pulse", "javasound");
    public static final String DEFAULT_TRANSPORT = "tcp";
    static final Set<String> PROFILE_FIELDS = profileFields();
    static final Set<String> FORMAT_FIELDS = Set.of("rate", "bits", "channels");
    static final List<Integer> RATES = List.of(8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000, 176400, 192000);

    /** Return the first of {@link #DEFAULT_SOURCES} that is installed: what a source section without a plugin means. */
    public static String defaultSource(PluginRegistry plugins) {
        for (String name : DEFAULT_SOURCES) {
            if (plugins.hasSource(name)) {
                return name;
            }
        }
        return DEFAULT_SOURCES.getLast();
    }

    /** Resolve a stream from an optional configuration file and the command line. */
    public static StreamSetup resolve(Optional<ConfigFile> file, Overrides flags, PluginRegistry plugins)
            throws ConfigException, PluginException {
        String profileName = flags.profile() != null ? flags.profile() : file.flatMap(ConfigFile::defaultProfile).orElse(null);
        ObjectNode profile;
        String where;
        if (profileName == null) {
            profile = JsonNodeFactory.instance.objectNode();
            profileName = "(built-in defaults)";
            where = "built-in defaults";
        } else if (file.isEmpty()) {
            throw new ConfigException(flags.origin("--profile") + " " + profileName + ": there is no configuration file; create one"
                    + " with: streamer config init, or pass --config FILE");
        } else {
            profile = file.get().profile(profileName);
            where = file.get().path() + ": $.profiles." + profileName;
        }
        for (String field : profile.propertyNames()) {
            if (!PROFILE_FIELDS.contains(field)) {
                throw new ConfigException(where + "." + field + ": unknown field" + Suggestions.didYouMean(field, PROFILE_FIELDS)
                        + "; valid: " + String.join(", ", sorted(PROFILE_FIELDS)));
            }
        }

        ObjectNode sourceSection = section(profile, "source", where);
        ObjectNode transportSection = section(profile, "transport", where);
        String defaultSource = defaultSource(plugins);
        String sourceName = flags.source() != null ? flags.source() : pluginName(sourceSection, where + ".source", defaultSource);
        String transportName = flags.transport() != null ? flags.transport()
                : pluginName(transportSection, where + ".transport", DEFAULT_TRANSPORT);
        SourceProvider<?> source = plugin(() -> plugins.source(sourceName),
                flags.source() != null ? flags.origin("--source") : where + ".source.plugin");
        TransportProvider<?> transport = plugin(() -> plugins.transport(transportName),
                flags.transport() != null ? flags.origin("--transport") : where + ".transport.plugin");

        PcmFormat format = format(profile, where, flags);

        Map<String, String> engineSets = new LinkedHashMap<>();
        Map<String, String> sourceFlags = new LinkedHashMap<>();
        Map<String, String> sourceFlagNames = new LinkedHashMap<>();
        Map<String, String> transportFlags = new LinkedHashMap<>();
        Map<String, String> transportFlagNames = new LinkedHashMap<>();
        for (String setting : flags.settings()) {
            int eq = setting.indexOf('=');
            String key = eq < 0 ? setting : setting.substring(0, eq);
            if (eq < 0 || !(key.startsWith("source.") || key.startsWith("transport.") || key.startsWith("engine."))
                    || key.endsWith(".")) {
                throw new ConfigException("--set " + setting + ": expected source.KEY=VALUE, transport.KEY=VALUE or engine.KEY=VALUE");
            }
            String value = setting.substring(eq + 1);
            if (key.startsWith("engine.")) {
                String name = key.substring("engine.".length());
                if (engineSets.containsKey(name)) {
                    throw new ConfigException("--set " + key + ": given twice");
                }
                engineSets.put(name, value);
            } else if (key.startsWith("source.")) {
                put(sourceFlags, sourceFlagNames, key.substring("source.".length()), value, "--set " + key);
            } else {
                put(transportFlags, transportFlagNames, key.substring("transport.".length()), value, "--set " + key);
            }
        }
        if (flags.device() != null) {
            put(sourceFlags, sourceFlagNames, "device", flags.device(), flags.origin("--device"));
        }
        if (flags.host() != null) {
            put(transportFlags, transportFlagNames, "host", flags.host(), flags.origin("--host"));
        }
        if (flags.port() != null) {
            put(transportFlags, transportFlagNames, "port", String.valueOf(flags.port()), flags.origin("--port"));
        }
        // A profile's settings belong to the plugin it names: when --source/--transport picks another, they do not apply.
        ObjectNode sourceFile = sameName(sourceSection, sourceName, defaultSource) ? withoutPlugin(sourceSection)
                : JsonNodeFactory.instance.objectNode();
        ObjectNode transportFile = sameName(transportSection, transportName, DEFAULT_TRANSPORT) ? withoutPlugin(transportSection)
                : JsonNodeFactory.instance.objectNode();
        EngineConfig engine = EngineSettings.resolve(profile, where, flags, engineSets, format);
        Record sourceSettings = SettingsBinder.bind(source, sourceFile, where + ".source", sourceFlags, sourceFlagNames);
        Record transportSettings = SettingsBinder.bind(transport, transportFile, where + ".transport", transportFlags, transportFlagNames);
        boolean sourceChosen = flags.source() != null || flags.device() != null || sourceSection.has("plugin")
                || sourceSection.has("device");
        return new StreamSetup(profileName, engine, source, sourceSettings, transport, transportSettings, sourceChosen);
    }

    /**
     * Resolve every profile of {@code file} as {@code stream --profile NAME} would, without the
     * environment or flags.
     *
     * @return one message per broken profile; empty when all are good
     */
    public static List<String> check(ConfigFile file, PluginRegistry plugins) throws PluginException {
        List<String> problems = new java.util.ArrayList<>();
        for (String name : file.profileNames()) {
            try {
                resolve(Optional.of(file), Overrides.profile(name), plugins);
            } catch (ConfigException e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    /** Return this setup as a complete profile: what {@code stream} will run, in the shape of the file. */
    public ObjectNode asProfile() {
        ObjectNode profile = Json.MAPPER.createObjectNode();
        ObjectNode source = profile.putObject("source").put("plugin", sourceProvider.name());
        source.setAll(SettingsRecords.toTree(sourceSettings));
        ObjectNode transport = profile.putObject("transport").put("plugin", transportProvider.name());
        transport.setAll(SettingsRecords.toTree(transportSettings));
        profile.putObject("format").put("rate", engine.wireFormat().sampleRate()).put("bits", engine.wireFormat().bits())
                .put("channels", engine.wireFormat().channels());
        EngineSettings.write(engine, profile);
        return profile;
    }

    private static Set<String> profileFields() {
        Set<String> fields = new java.util.HashSet<>(Set.of("source", "transport", "format", EngineSettings.PRESET));
        fields.addAll(EngineSettings.FIELDS);
        return Set.copyOf(fields);
    }

    private static PcmFormat format(ObjectNode profile, String where, Overrides flags) throws ConfigException {
        ObjectNode format = section(profile, "format", where);
        for (String field : format.propertyNames()) {
            if (!FORMAT_FIELDS.contains(field)) {
                throw new ConfigException(where + ".format." + field + ": unknown field" + Suggestions.didYouMean(field, FORMAT_FIELDS)
                        + "; valid: rate, bits, channels");
            }
        }
        PcmFormat fallback = PcmFormat.DEFAULT_WIRE;
        int rate = flags.rate() != null ? flags.rate() : integer(format, "rate", where + ".format", fallback.sampleRate());
        int bits = flags.bits() != null ? flags.bits() : integer(format, "bits", where + ".format", fallback.bits());
        int channels = flags.channels() != null ? flags.channels() : integer(format, "channels", where + ".format", fallback.channels());
        if (!RATES.contains(rate)) {
            throw new ConfigException((flags.rate() != null ? flags.origin("--rate") : where + ".format.rate") + ": " + rate
                    + " Hz is not a supported rate; valid: " + RATES.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElseThrow());
        }
        if (bits != 16 && bits != 24 && bits != 32) {
            throw new ConfigException((flags.bits() != null ? flags.origin("--bits") : where + ".format.bits") + ": " + bits
                    + " is not a supported bit depth; valid: 16, 24, 32");
        }
        if (channels != 1 && channels != 2) {
            throw new ConfigException((flags.channels() != null ? flags.origin("--channels") : where + ".format.channels") + ": " + channels
                    + " channels are not supported; valid: 1 (mono), 2 (stereo)");
        }
        return PcmFormat.wire(rate, bits, channels);
    }

    private static ObjectNode section(ObjectNode parent, String field, String where) throws ConfigException {
        JsonNode node = parent.get(field);
        if (node == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw new ConfigException(where + "." + field + ": expected an object, found " + Json.kind(node));
        }
        return (ObjectNode) node;
    }

    private static String pluginName(ObjectNode section, String where, String fallback) throws ConfigException {
        JsonNode name = section.get("plugin");
        if (name == null) {
            return fallback;
        }
        if (!name.isString()) {
            throw new ConfigException(where + ".plugin: expected a plugin name, found " + Json.kind(name));
        }
        return name.asString();
    }

    private static boolean sameName(ObjectNode section, String name, String fallback) {
        JsonNode plugin = section.get("plugin");
        return (plugin == null ? fallback : plugin.asString()).equals(name);
    }

    private static ObjectNode withoutPlugin(ObjectNode section) {
        ObjectNode copy = section.deepCopy();
        copy.remove("plugin");
        return copy;
    }

    private static int integer(ObjectNode node, String field, String where, int fallback) throws ConfigException {
        JsonNode value = node.get(field);
        if (value == null) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new ConfigException(where + "." + field + ": expected a whole number, found " + Json.kind(value));
        }
        return value.asInt();
    }

    private static void put(Map<String, String> values, Map<String, String> names, String key, String value, String flag)
            throws ConfigException {
        if (names.containsKey(key)) {
            if (flag.startsWith(Environment.PREFIX)) {
                return; // the environment is a layer below every flag, --set included
            }
            throw new ConfigException(flag + ": '" + key + "' is already set by " + names.get(key));
        }
        values.put(key, value);
        names.put(key, flag);
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    private interface Lookup<T> {
        T get() throws PluginException;
    }

    private static <T> T plugin(Lookup<T> lookup, String where) throws ConfigException {
        try {
            return lookup.get();
        } catch (PluginException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }
}
