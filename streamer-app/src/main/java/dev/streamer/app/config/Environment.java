package dev.streamer.app.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The environment layer, between the profile and the flags: {@code STREAMER_HOST}, {@code STREAMER_PORT}
 * and the rest, each standing for the flag of the same name. A variable that is empty counts as unset,
 * so {@code STREAMER_HOST= streamer stream} means the same as leaving it out.
 */
public final class Environment {
    static final String PREFIX = "STREAMER_";
    public static final String CONFIG = PREFIX + "CONFIG";
    public static final String PROFILE = PREFIX + "PROFILE";

    /** Variable to flag, in the order of the README's table. */
    static final Map<String, String> FLAGS = orderedFlags();

    private final Map<String, String> variables;

    public Environment(Map<String, String> variables) {
        this.variables = variables;
    }

    private static Map<String, String> orderedFlags() {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put(CONFIG, "--config");
        flags.put(PROFILE, "--profile");
        for (String name : List.of("host", "port", "device", "source", "transport", "preset", "rate", "bits", "channels", "chunk",
                "silence")) {
            flags.put(PREFIX + name.toUpperCase(Locale.ROOT), "--" + name);
        }
        return Collections.unmodifiableMap(flags);
    }

    /** Return {@code STREAMER_CONFIG} as a path, or null. */
    public Path config() throws ConfigException {
        String value = get(CONFIG);
        try {
            return value == null ? null : Path.of(value);
        } catch (InvalidPathException e) {
            throw new ConfigException(CONFIG + "=" + value + ": not a valid path: " + e.getReason());
        }
    }

    /** Return the stream settings of the environment, each naming its variable as its origin. */
    public Overrides overrides() throws ConfigException {
        Map<String, String> origins = new HashMap<>();
        FLAGS.forEach((variable, flag) -> {
            if (get(variable) != null) {
                origins.put(flag, variable);
            }
        });
        return new Overrides(get(PROFILE), get("STREAMER_SOURCE"), get("STREAMER_TRANSPORT"), get("STREAMER_HOST"),
                port(), get("STREAMER_DEVICE"), number("STREAMER_RATE", "a sample rate in Hz, e.g. 48000"),
                number("STREAMER_CHANNELS", "1 or 2"), number("STREAMER_BITS", "16, 24 or 32"),
                number("STREAMER_CHUNK", "frames per network write, 32 to 16384"), List.of(), get("STREAMER_PRESET"),
                get("STREAMER_SILENCE"), null, origins);
    }

    private Integer port() throws ConfigException {
        Integer port = number("STREAMER_PORT", "a port 1-65535");
        if (port != null && (port < 1 || port > 65_535)) {
            throw new ConfigException("STREAMER_PORT=" + port + ": expected a port 1-65535");
        }
        return port;
    }

    private Integer number(String variable, String expected) throws ConfigException {
        String value = get(variable);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(variable + "=" + value + ": expected " + expected);
        }
    }

    private String get(String variable) {
        String value = variables.get(variable);
        return value == null || value.isBlank() ? null : value;
    }
}
