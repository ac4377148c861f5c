package dev.streamer.api.spi;

/**
 * What every plugin provider has: a unique name, a description and a settings record.
 *
 * <p>A provider is found by {@link java.util.ServiceLoader}, so it needs a public no-argument
 * constructor. It must be cheap and stateless: creating it opens nothing.
 *
 * <p>Settings are a record with a canonical constructor that validates every component and throws
 * {@link IllegalArgumentException} naming the component and what would be valid. The application
 * binds the plugin's section of the configuration file to this record by reflection, so the
 * record's package must be {@code opens} in the plugin's module descriptor (not exported).
 *
 * @param <S> the settings record
 */
public interface PluginProvider<S extends Record> {

    /** Prefix reserved for the plugins that ship with streamer. */
    String RESERVED_PREFIX = "streamer-";

    /** Return the unique id used in configuration and on the command line, e.g. {@code tcp}. */
    String name();

    /** Return a one-line description for {@code streamer plugins}. */
    String description();

    /** Return the settings record type. */
    Class<S> settingsType();

    /** Return the settings used when the configuration says nothing. */
    S defaultSettings();
}
