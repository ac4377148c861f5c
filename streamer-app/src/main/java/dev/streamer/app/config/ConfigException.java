package dev.streamer.app.config;

import java.io.Serial;

/** The configuration or the command line is wrong. The message names where and what would be valid; exit code 2. */
public class ConfigException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
