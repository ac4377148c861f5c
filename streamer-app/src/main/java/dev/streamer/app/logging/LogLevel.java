package dev.streamer.app.logging;

import java.util.logging.Level;

/** The levels {@code --log-level} accepts, from the fewest lines to the most. */
public enum LogLevel {
    ERROR(Level.SEVERE),
    WARN(Level.WARNING),
    INFO(Level.INFO),
    DEBUG(Level.FINE),
    TRACE(Level.FINEST);

    final Level julLevel;

    LogLevel(Level julLevel) {
        this.julLevel = julLevel;
    }
}
