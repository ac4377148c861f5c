package dev.streamer.app.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A configuration file: named profiles and which one is the default.
 *
 * <pre>{@code
 * {
 *   "defaultProfile": "living-room",
 *   "profiles": {
 *     "living-room": {
 *       "source":    { "plugin": "javasound", "device": "default" },
 *       "transport": { "plugin": "tcp", "host": "snapserver.local", "port": 4953 },
 *       "format":    { "rate": 48000, "bits": 16, "channels": 2 },
 *       "chunkFrames": 512, "ringMillis": 2000, "latencyTargetMillis": 250
 *     }
 *   }
 * }
 * }</pre>
 */
public final class ConfigFile {
    static final Set<String> TOP_LEVEL_FIELDS = Set.of("$schema", "defaultProfile", "profiles");

    private final Path path;
    private final ObjectNode root;

    private ConfigFile(Path path, ObjectNode root) {
        this.path = path;
        this.root = root;
    }

    /** Return the conventional location: {@code $XDG_CONFIG_HOME/streamer/config.json}, else {@code ~/.config/streamer/config.json}. */
    public static Path defaultLocation(Map<String, String> environment) {
        String xdg = environment.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("streamer").resolve("config.json");
    }

    /** Return the file to use: {@code --config}, else {@code STREAMER_CONFIG}, else the default location. */
    public static Path location(Path explicit, Map<String, String> environment) throws ConfigException {
        if (explicit != null) {
            return explicit;
        }
        Path variable = new Environment(environment).config();
        return variable != null ? variable : defaultLocation(environment);
    }

    /**
     * Read the file given with {@code --config} or {@code STREAMER_CONFIG}, or the one at the default
     * location if it exists.
     *
     * @return empty when no file was given and none exists at the default location
     */
    public static Optional<ConfigFile> find(Path explicit, Map<String, String> environment) throws ConfigException {
        Path path = location(explicit, environment);
        boolean given = explicit != null || new Environment(environment).config() != null;
        return given || Files.isRegularFile(path) ? Optional.of(read(path)) : Optional.empty();
    }

    /** Read and check the top level of a configuration file. */
    public static ConfigFile read(Path path) throws ConfigException {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new ConfigException(path + ": no such configuration file (streamer config init creates one)");
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read the configuration file: " + e.getMessage());
        }
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(text);
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new ConfigException(path + where + ": malformed JSON: " + e.getOriginalMessage());
        }
        if (tree == null || tree.isMissingNode() || !tree.isObject()) {
            throw new ConfigException(path + ": the configuration must be a JSON object with \"profiles\", found "
                    + (tree == null || tree.isMissingNode() ? "nothing" : Json.kind(tree)));
        }
        ConfigFile file = new ConfigFile(path, (ObjectNode) tree);
        file.checkTopLevel();
        return file;
    }

    /** A file with no profiles yet, whose {@code $schema} is {@code schema}, for editors. */
    public static ConfigFile empty(Path path, String schema) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("$schema", schema);
        root.putObject("profiles");
        return new ConfigFile(path, root);
    }

    public Path path() {
        return path;
    }

    /** Return the file's content as it is written: two-space indented JSON and a final newline. */
    public String text() {
        return Json.pretty(root) + System.lineSeparator();
    }

    /** Return a copy of this file with profile {@code name} set to {@code profile}, the default if asked. */
    public ConfigFile withProfile(String name, ObjectNode profile, boolean makeDefault) throws ConfigException {
        ObjectNode copy = root.deepCopy();
        ObjectNode profiles = copy.has("profiles") ? (ObjectNode) copy.get("profiles") : copy.putObject("profiles");
        profiles.set(name, profile.deepCopy());
        if (makeDefault && copy.has("defaultProfile")) {
            copy.put("defaultProfile", name);
        } else if (makeDefault) {
            // where people look for it: before the profiles
            ObjectNode ordered = Json.MAPPER.createObjectNode();
            copy.properties().forEach(field -> {
                if (field.getKey().equals("profiles")) {
                    ordered.put("defaultProfile", name);
                }
                ordered.set(field.getKey(), field.getValue());
            });
            copy = ordered;
        }
        return checked(copy);
    }

    /** Return a copy of this file without profile {@code name}; {@code clearDefault} also drops defaultProfile. */
    public ConfigFile withoutProfile(String name, boolean clearDefault) throws ConfigException {
        profile(name); // an unknown name lists the known ones
        ObjectNode copy = root.deepCopy();
        ((ObjectNode) copy.get("profiles")).remove(name);
        if (clearDefault) {
            copy.remove("defaultProfile");
        }
        return checked(copy);
    }

    private ConfigFile checked(ObjectNode copy) throws ConfigException {
        ConfigFile file = new ConfigFile(path, copy);
        file.checkTopLevel();
        return file;
    }

    /** Return the profile names, sorted. */
    public Set<String> profileNames() {
        JsonNode profiles = root.get("profiles");
        return profiles == null ? Set.of() : new TreeSet<>(profiles.propertyNames());
    }

    /** Return the name of the profile used when none is asked for, if the file names one. */
    public Optional<String> defaultProfile() {
        JsonNode name = root.get("defaultProfile");
        return name == null ? Optional.empty() : Optional.of(name.asString());
    }

    /** Return the profile {@code name}; an unknown name lists the known ones. */
    public ObjectNode profile(String name) throws ConfigException {
        JsonNode profile = root.path("profiles").get(name);
        if (profile == null) {
            Set<String> names = profileNames();
            throw new ConfigException(path + ": no profile '" + name + "'" + Suggestions.didYouMean(name, names)
                    + (names.isEmpty() ? "; the file has no profiles" : "; profiles: " + String.join(", ", names)));
        }
        return (ObjectNode) profile.deepCopy();
    }

    private void checkTopLevel() throws ConfigException {
        for (String field : root.propertyNames()) {
            if (!TOP_LEVEL_FIELDS.contains(field)) {
                throw new ConfigException(path + ": $." + field + ": unknown field" + Suggestions.didYouMean(field, TOP_LEVEL_FIELDS)
                        + "; valid: $schema, defaultProfile, profiles");
            }
        }
        JsonNode schema = root.get("$schema");
        if (schema != null && !schema.isString()) {
            throw new ConfigException(path + ": $.$schema: expected the URI of the schema, found " + Json.kind(schema));
        }
        JsonNode profiles = root.get("profiles");
        if (profiles != null && !profiles.isObject()) {
            throw new ConfigException(path + ": $.profiles: expected an object of named profiles, found " + Json.kind(profiles));
        }
        if (profiles != null) {
            for (Map.Entry<String, JsonNode> entry : profiles.properties()) {
                if (!entry.getValue().isObject()) {
                    throw new ConfigException(path + ": $.profiles." + entry.getKey() + ": expected an object, found "
                            + Json.kind(entry.getValue()));
                }
            }
        }
        JsonNode defaultProfile = root.get("defaultProfile");
        if (defaultProfile != null) {
            if (!defaultProfile.isString()) {
                throw new ConfigException(path + ": $.defaultProfile: expected a profile name, found " + Json.kind(defaultProfile));
            }
            if (!profileNames().contains(defaultProfile.asString())) {
                throw new ConfigException(path + ": $.defaultProfile: no profile '" + defaultProfile.asString() + "'"
                        + Suggestions.didYouMean(defaultProfile.asString(), profileNames()) + "; profiles: "
                        + String.join(", ", profileNames().isEmpty() ? List.of("none") : profileNames()));
            }
        }
    }
}
