package dev.streamer.app.cli;

import dev.streamer.app.config.ConfigException;
import dev.streamer.app.config.ConfigFile;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --config FILE} of the {@code config} and {@code profile} commands. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: $STREAMER_CONFIG, else $XDG_CONFIG_HOME/streamer/config.json or"
                    + " ~/.config/streamer/config.json).")
    Path file;

    /** Return the file these commands work on, existing or not. */
    Path location(Map<String, String> environment) throws ConfigException {
        return ConfigFile.location(file, environment);
    }

    /** Read the file, which must exist. */
    ConfigFile read(Map<String, String> environment) throws ConfigException {
        return ConfigFile.read(location(environment));
    }
}
