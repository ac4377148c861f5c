package dev.streamer.core;

/** What a plugin provides. */
public enum PluginKind {
    SOURCE, TRANSPORT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
