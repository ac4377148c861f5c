package dev.streamer.api.spi;

import java.io.Serial;

/** A source could not be opened or failed while capturing. The message is meant for the user. */
public class SourceException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
