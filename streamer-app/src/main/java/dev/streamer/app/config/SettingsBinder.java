package dev.streamer.app.config;

import dev.streamer.api.spi.PluginProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        Map<String, Object> defaults = SettingsRecords.values(provider.defaultSettings());
        List<String> valid = new ArrayList<>(defaults.keySet());
        String kind = provider instanceof dev.streamer.api.spi.SourceProvider<?> ? "source" : "transport";
        for (String field : fromFile.propertyNames()) {
            if (!defaults.containsKey(field)) {
                throw new ConfigException(fileWhere + "." + field + ": unknown setting of " + kind + " '" + provider.name() + "'"
                        + Suggestions.didYouMean(field, valid) + "; valid: plugin, " + String.join(", ", valid));
            }
        }
        Class<? extends Record> type = provider.settingsType();
        Map<String, Object> merged = new LinkedHashMap<>(defaults);
        SettingsRecords.putFromJson(merged, fromFile, type, fileWhere);
        Record fileSettings = SettingsRecords.fromValues(merged, type, fileWhere);
        if (fromFlags.isEmpty()) {
            return fileSettings;
        }
        for (Map.Entry<String, String> flag : fromFlags.entrySet()) {
            String key = flag.getKey();
            String where = flagWhere.get(key);
            Object template = defaults.get(key);
            if (template == null) {
                throw new ConfigException(where + ": " + kind + " '" + provider.name() + "' has no setting '" + key + "'"
                        + Suggestions.didYouMean(key, valid) + "; its settings: " + String.join(", ", valid));
            }
            merged.put(key, typed(flag.getValue(), template, where));
        }
        String flags = String.join(", ", fromFlags.keySet().stream().map(flagWhere::get).toList());
        return SettingsRecords.fromValues(merged, type, flags);
    }

    /** Turn a command-line string into a value of the same type as the default {@code template}. */
    static Object typed(String value, Object template, String where) throws ConfigException {
        if (template instanceof Integer || template instanceof Long) {
            long number;
            try {
                number = Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(where + ": expected a whole number, found \"" + value + "\"");
            }
            if (template instanceof Long) {
                return number;
            }
            if (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
                throw new ConfigException(where + ": expected a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                        + ", found " + number);
            }
            return (int) number;
        }
        if (template instanceof Double) {
            try {
                return Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(where + ": expected a number, found \"" + value + "\"");
            }
        }
        if (template instanceof List<?>) {
            // a list on the command line: comma- or space-separated, e.g. --set transport.allow=10.0.0.0/8,::1
            List<String> items = new ArrayList<>();
            for (String item : value.trim().split("[,\\s]+")) {
                if (!item.isEmpty()) {
                    items.add(item);
                }
            }
            return List.copyOf(items);
        }
        if (template instanceof Boolean) {
            return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> throw new ConfigException(where + ": expected true or false, found \"" + value + "\"");
            };
        }
        return value;
    }
}
