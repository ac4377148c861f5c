package dev.streamer.core;

/** Where the engine is in its lifecycle. */
public enum StreamState {
    /** Opening the source and starting threads. */
    STARTING,
    /** Trying to open a link to the receiver. */
    CONNECTING,
    /** Audio is flowing to the receiver. */
    STREAMING,
    /** Connected, but not writing: the input has been silent longer than the silence policy allows. */
    PAUSED,
    /** The link failed; waiting out the backoff before the next attempt, discarding stale audio. */
    RECONNECTING,
    /** Stopped on request or because the source ended. */
    STOPPED,
    /** Stopped because the source failed. */
    FAILED;

    /** Return the lower-case name used in status lines and JSON. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
