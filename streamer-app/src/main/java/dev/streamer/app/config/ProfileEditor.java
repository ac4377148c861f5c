package dev.streamer.app.config;

import dev.streamer.api.spi.PluginProvider;
import dev.streamer.core.PluginException;
import dev.streamer.core.PluginRegistry;
import java.util.Locale;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the stream flags into a profile ({@code streamer profile save}): {@code --host} becomes
 * {@code transport.host}, {@code --set engine.ringMillis=3000} becomes {@code ringMillis}, and so on,
 * each value with the JSON type the profile field has.
 */
public final class ProfileEditor {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private ProfileEditor() {
    }

    /** Refuse a profile name that would be awkward on a command line. */
    public static void checkName(String name) throws ConfigException {
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException("profile name '" + name + "': expected 1 to 64 letters, digits, '.', '_' or '-', starting with a"
                    + " letter or digit");
        }
    }

    /**
     * Return {@code profile} with {@code flags} written into it. Check the flags with
     * {@link StreamSetup#resolve} first: this only places values, it does not validate them.
     */
    public static ObjectNode apply(ObjectNode profile, Overrides flags, PluginRegistry plugins) throws ConfigException {
        ObjectNode result = profile.deepCopy();
        choosePlugin(result, "source", flags.source(), StreamSetup.defaultSource(plugins));
        choosePlugin(result, "transport", flags.transport(), StreamSetup.DEFAULT_TRANSPORT);
        if (flags.device() != null) {
            object(result, "source").put("device", flags.device());
        }
        if (flags.host() != null) {
            object(result, "transport").put("host", flags.host());
        }
        if (flags.port() != null) {
            object(result, "transport").put("port", flags.port());
        }
        if (flags.rate() != null) {
            object(result, "format").put("rate", flags.rate());
        }
        if (flags.bits() != null) {
            object(result, "format").put("bits", flags.bits());
        }
        if (flags.channels() != null) {
            object(result, "format").put("channels", flags.channels());
        }
        if (flags.preset() != null) {
            result.put(EngineSettings.PRESET, flags.preset());
        }
        if (flags.chunkFrames() != null) {
            result.put(EngineSettings.CHUNK, flags.chunkFrames());
        }
        if (flags.silence() != null) {
            result.put(EngineSettings.SILENCE, flags.silence().trim().toLowerCase(Locale.ROOT));
        }
        if (flags.threadPriority() != null) {
            result.put(EngineSettings.PRIORITY, flags.threadPriority().trim().toLowerCase(Locale.ROOT));
        }
        for (String setting : flags.settings()) {
            int eq = setting.indexOf('=');
            String key = setting.substring(0, eq);
            String kind = key.substring(0, key.indexOf('.'));
            String name = key.substring(kind.length() + 1);
            String value = setting.substring(eq + 1);
            if (kind.equals("engine")) {
                result.set(name, Json.MAPPER.valueToTree(EngineSettings.fromText(value, name, "--set " + key)));
            } else {
                Object template = SettingsRecords.values(provider(result, kind, plugins).defaultSettings()).get(name);
                object(result, kind).set(name, SettingsRecords.toNode(SettingsBinder.typed(value, template, "--set " + key)));
            }
        }
        return result;
    }

    /** Another plugin than the profile's own starts from an empty section: the old plugin's settings do not apply to it. */
    private static void choosePlugin(ObjectNode profile, String kind, String chosen, String fallback) {
        if (chosen == null) {
            return;
        }
        if (!chosen.equals(pluginName(profile, kind, fallback))) {
            profile.putObject(kind);
        }
        object(profile, kind).put("plugin", chosen);
    }

    private static String pluginName(ObjectNode profile, String kind, String fallback) {
        JsonNode plugin = profile.path(kind).get("plugin");
        return plugin == null ? fallback : plugin.asString();
    }

    private static PluginProvider<?> provider(ObjectNode profile, String kind, PluginRegistry plugins) throws ConfigException {
        try {
            return kind.equals("source") ? plugins.source(pluginName(profile, kind, StreamSetup.defaultSource(plugins)))
                    : plugins.transport(pluginName(profile, kind, StreamSetup.DEFAULT_TRANSPORT));
        } catch (PluginException e) {
            throw new ConfigException("--" + kind + ": " + e.getMessage());
        }
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        return parent.get(field) instanceof ObjectNode existing ? existing : parent.putObject(field);
    }
}
