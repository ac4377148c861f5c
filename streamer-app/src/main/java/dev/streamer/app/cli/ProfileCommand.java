package dev.streamer.app.cli;

import dev.streamer.app.config.ConfigException;
import dev.streamer.app.config.ConfigFile;
import dev.streamer.app.config.ConfigWriter;
import dev.streamer.app.config.Json;
import dev.streamer.app.config.Overrides;
import dev.streamer.app.config.ProfileEditor;
import dev.streamer.app.config.StreamSetup;
import dev.streamer.core.PluginException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code streamer profile list|show|save|delete}: the named profiles of the configuration file.
 * Commands that change the file check the result before they write it, and write it atomically
 * (see {@link ConfigWriter}), so a failed command leaves the file as it was.
 */
@Command(name = "profile", mixinStandardHelpOptions = true, description = "List, show, save or delete the profiles of the configuration file.",
        subcommands = {ProfileCommand.ListProfiles.class, ProfileCommand.Show.class, ProfileCommand.Save.class, ProfileCommand.Delete.class})
final class ProfileCommand implements Runnable {
    @ParentCommand
    StreamerCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: list, show, save or delete");
    }

    /** Resolve profile {@code name} of {@code file} fully (plugins, settings, ranges), as {@code stream} would. */
    static void requireValid(ConfigFile file, String name, StreamerCommand root) throws ConfigException, PluginException {
        StreamSetup.resolve(Optional.of(file), Overrides.profile(name), root.plugins());
    }

    private static boolean isValid(ConfigFile file, String name, StreamerCommand root) throws PluginException {
        try {
            requireValid(file, name, root);
            return true;
        } catch (ConfigException e) {
            return false;
        }
    }

    private static void say(ProfileCommand parent, String line) {
        PrintWriter out = parent.spec.commandLine().getOut();
        out.println(line);
        out.flush();
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the profiles; * marks the default.")
    static final class ListProfiles implements Callable<Integer> {
        @ParentCommand
        ProfileCommand parent;

        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            ConfigFile file = config.read(parent.root.environment);
            if (file.profileNames().isEmpty()) {
                say(parent, file.path() + ": no profiles (streamer profile save NAME adds one)");
            }
            for (String name : file.profileNames()) {
                say(parent, (file.defaultProfile().filter(name::equals).isPresent() ? "* " : "  ") + name);
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Print a profile as the file has it. 'streamer config show --profile NAME' prints what it resolves to."})
    static final class Show implements Callable<Integer> {
        @ParentCommand
        ProfileCommand parent;

        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "NAME", description = "The profile.")
        String name;

        @Override
        public Integer call() throws Exception {
            ConfigCommand.print(parent.spec.commandLine().getOut(), config.read(parent.root.environment).profile(name));
            return 0;
        }
    }

    @Command(name = "save", sortOptions = false,
            description = {"Write the given stream flags into a profile, creating the profile (and the file) if needed.",
                    "Only the flags given change; --replace starts the profile afresh. The environment is not saved.",
                    "The first profile of a new file becomes the default."})
    static final class Save implements Callable<Integer>, StreamOptions.Holder {
        @ParentCommand
        ProfileCommand parent;

        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "NAME", description = "The profile.")
        String name;

        @Option(names = "--default", description = "Also make it the defaultProfile.")
        boolean makeDefault;

        @Option(names = "--replace", description = "Replace the profile instead of merging the flags into it.")
        boolean replace;

        final StreamOptions options = new StreamOptions();

        @Override
        public StreamOptions streamOptions() {
            return options;
        }

        @Override
        public Integer call() throws Exception {
            StreamerCommand root = parent.root;
            ProfileEditor.checkName(name);
            Path path = config.location(root.environment);
            boolean exists = Files.exists(path);
            ConfigFile file = exists ? ConfigFile.read(path) : ConfigFile.empty(path, ConfigCommand.shippedSchema());
            ObjectNode base = replace || !file.profileNames().contains(name) ? Json.MAPPER.createObjectNode() : file.profile(name);
            // first the flags over the profile as it is, so that a bad value is reported by its flag ...
            Overrides flags = options.flags(name);
            ConfigFile before = file.withProfile(name, base, false);
            try {
                StreamSetup.resolve(Optional.of(before), flags, root.plugins());
            } catch (ConfigException byFlags) {
                if (isValid(before, name, root)) {
                    throw byFlags;
                } // else the profile was broken before: the flags may mend it
            }
            // ... then the file as it will be written
            ConfigFile saved = file.withProfile(name, ProfileEditor.apply(base, flags, root.plugins()), makeDefault || !exists);
            requireValid(saved, name, root);
            ConfigWriter.write(path, saved.text());
            say(parent, path + ": saved profile '" + name + "'" + (saved.defaultProfile().filter(name::equals).isPresent()
                    ? " (the default)" : ""));
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a profile. The default profile is only deleted with --force, which also clears defaultProfile.")
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        ProfileCommand parent;

        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "NAME", description = "The profile.")
        String name;

        @Option(names = "--force", description = "Delete even the default profile, and clear defaultProfile.")
        boolean force;

        @Override
        public Integer call() throws Exception {
            ConfigFile file = config.read(parent.root.environment);
            boolean isDefault = file.defaultProfile().filter(name::equals).isPresent();
            if (isDefault && !force) {
                throw new ConfigException(file.path() + ": $.defaultProfile: '" + name + "' is the default profile; make another one"
                        + " the default first (streamer profile save OTHER --default), or pass --force to delete it and clear"
                        + " defaultProfile");
            }
            ConfigWriter.write(file.path(), file.withoutProfile(name, isDefault).text());
            say(parent, file.path() + ": deleted profile '" + name + "'" + (isDefault ? "; there is no defaultProfile now" : ""));
            return 0;
        }
    }
}
