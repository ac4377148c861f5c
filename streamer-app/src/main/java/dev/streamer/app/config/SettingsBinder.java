package dev.streamer.app.config;

import dev.streamer.api.spi.PluginProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Binds a plugin's section of a profile, then the command-line overrides, onto the plugin's own
 * settings record, starting from its defaults. Binding the two layers one after the other tells
 * the user which of them holds a bad value.
 */
final class SettingsBinder {
    private SettingsBinder() {
    }

    /**
     * @param provider the plugin
     * @param fromFile the profile's section without {@code plugin}; {@code fileWhere} names it
     * @param fromFlags values from the command line, as strings; {@code flagWhere} maps a key to its flag
     */
    static Record bind(PluginProvider<?> provider, ObjectNode fromFile, String fileWhere,
                       Map<String, String> fromFlags, Map<String, String> flagWhere) throws ConfigException {
        ObjectNode defaults = SettingsRecords.toTree(provider.defaultSettings());
        List<String> valid = new ArrayList<>(defaults.propertyNames());
        String kind = provider instanceof dev.streamer.api.spi.SourceProvider<?> ? "source" : "transport";
        for (String field : fromFile.propertyNames()) {
            if (!defaults.has(field)) {
                throw new ConfigException(fileWhere + "." + field + ": unknown setting of " + kind + " '" + provider.name() + "'"
                        + Suggestions.didYouMean(field, valid) + "; valid: plugin, " + String.join(", ", valid));
            }
        }
        ObjectNode merged = defaults.deepCopy();
        merged.setAll(fromFile);
        Record fileSettings = convert(provider, merged, fileWhere);
        if (fromFlags.isEmpty()) {
            return fileSettings;
        }
        for (Map.Entry<String, String> flag : fromFlags.entrySet()) {
            String key = flag.getKey();
            String where = flagWhere.get(key);
            JsonNode template = defaults.get(key);
            if (template == null) {
                throw new ConfigException(where + ": " + kind + " '" + provider.name() + "' has no setting '" + key + "'"
                        + Suggestions.didYouMean(key, valid) + "; its settings: " + String.join(", ", valid));
            }
            merged.set(key, typed(flag.getValue(), template, where));
        }
        String flags = String.join(", ", fromFlags.keySet().stream().map(flagWhere::get).toList());
        return convert(provider, merged, flags);
    }

    private static Record convert(PluginProvider<?> provider, ObjectNode tree, String where) throws ConfigException {
        return SettingsRecords.fromTree(tree, provider.settingsType(), where);
    }

    /** Turn a command-line string into a JSON value of the same type as the default. */
    static JsonNode typed(String value, JsonNode template, String where) throws ConfigException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (template.isIntegralNumber()) {
            try {
                return nodes.numberNode(Long.parseLong(value.trim()));
            } catch (NumberFormatException e) {
                throw new ConfigException(where + ": expected a whole number, found \"" + value + "\"");
            }
        }
        if (template.isNumber()) {
            try {
                return nodes.numberNode(Double.parseDouble(value.trim()));
            } catch (NumberFormatException e) {
                throw new ConfigException(where + ": expected a number, found \"" + value + "\"");
            }
        }
        if (template.isArray()) {
            // a list on the command line: comma- or space-separated, e.g. --set transport.allow=10.0.0.0/8,::1
            var array = nodes.arrayNode();
            for (String item : value.trim().split("[,\\s]+")) {
                if (!item.isEmpty()) {
                    array.add(item);
                }
            }
            return array;
        }
        if (template.isBoolean()) {
            return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "yes", "on" -> nodes.booleanNode(true);
                case "false", "no", "off" -> nodes.booleanNode(false);
                default -> throw new ConfigException(where + ": expected true or false, found \"" + value + "\"");
            };
        }
        return nodes.stringNode(value);
    }
}
