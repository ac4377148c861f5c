package dev.streamer.core;

import java.io.Serial;

/** The plugins found cannot run streamer, or the one asked for does not exist. The message says what to do. */
public class PluginException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    public PluginException(String message) {
        super(message);
    }
}
