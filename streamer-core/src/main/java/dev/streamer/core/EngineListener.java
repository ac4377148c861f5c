package dev.streamer.core;

/**
 * Receives what the engine does. Called from the engine's sender and status threads, never from
 * the capture thread: return quickly; a listener that blocks holds up the sending, not the capture.
 */
public interface EngineListener {

    /** The engine moved to {@code state}; {@code detail} says why, in words (may be empty). */
    default void stateChanged(StreamState state, String detail) {
    }

    /** A periodic snapshot, about once a second while running, and a last one after stopping. */
    default void status(StreamStatus status) {
    }

    /** A listener that ignores everything. */
    EngineListener NONE = new EngineListener() {
    };
}
