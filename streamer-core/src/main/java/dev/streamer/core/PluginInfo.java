package dev.streamer.core;

/**
 * Where a plugin came from, for {@code streamer plugins} and for error messages.
 *
 * @param name the plugin's unique name
 * @param kind source or transport
 * @param description the provider's one-line description
 * @param module the JPMS module, or {@code unnamed} on the class path
 * @param version the module version, or empty
 * @param location the jar or image the module was loaded from, or empty
 */
public record PluginInfo(String name, PluginKind kind, String description, String module, String version, String location) {
}
