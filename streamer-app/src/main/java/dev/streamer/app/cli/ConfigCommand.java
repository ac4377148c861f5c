package dev.streamer.app.cli;

import dev.streamer.app.config.ConfigException;
import dev.streamer.app.config.ConfigFile;
import dev.streamer.app.config.ConfigWriter;
import dev.streamer.app.config.Environment;
import dev.streamer.app.config.Json;
import dev.streamer.app.config.Overrides;
import dev.streamer.app.config.StreamSetup;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.node.ObjectNode;

/** {@code streamer config validate|show|init}: the configuration file as a whole. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Check, show or create the configuration file.",
        subcommands = {ConfigCommand.Validate.class, ConfigCommand.Show.class, ConfigCommand.Init.class})
final class ConfigCommand implements Runnable {
    /** The profile {@code config init} writes. */
    static final String STARTER_PROFILE = "local";

    @ParentCommand
    StreamerCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: validate, show or init");
    }

    /** The schema shipped in the image, for editors: {@code <image>/docs/config.schema.json}. */
    static String shippedSchema() {
        return Path.of(System.getProperty("java.home"), "docs", "config.schema.json").toUri().toString();
    }

    static void print(PrintWriter out, ObjectNode json) {
        out.println(Json.pretty(json));
        out.flush();
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Check every profile of the file as 'stream --profile NAME' would: plugins, their settings, presets,",
                    "engine values and ranges. Host names are not looked up (DNS may be down now and fine later)."})
    static final class Validate implements Callable<Integer> {
        @ParentCommand
        ConfigCommand parent;

        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            StreamerCommand root = parent.root;
            ConfigFile file = config.read(root.environment);
            List<String> problems = StreamSetup.check(file, root.plugins());
            CommandLine cli = parent.spec.commandLine();
            if (!problems.isEmpty()) {
                problems.forEach(problem -> cli.getErr().println("streamer: " + problem));
                cli.getErr().flush();
                return StreamerCommand.USAGE;
            }
            int count = file.profileNames().size();
            cli.getOut().println(file.path() + ": ok, " + count + (count == 1 ? " profile" : " profiles")
                    + file.defaultProfile().map(name -> " (default: " + name + ")").orElse(" (no defaultProfile)"));
            cli.getOut().flush();
            return 0;
        }
    }

    @Command(name = "show", sortOptions = false,
            description = {"Print the settings a stream would run with, as a complete profile in JSON: built-in defaults,",
                    "preset, profile, environment and these flags applied."})
    static final class Show implements Callable<Integer>, StreamOptions.Holder {
        @ParentCommand
        ConfigCommand parent;

        @Mixin
        ConfigOption config;

        @Option(names = {"--profile"}, paramLabel = "NAME", description = "Profile (default: $STREAMER_PROFILE, else the file's defaultProfile).")
        String profile;

        final StreamOptions options = new StreamOptions();

        @Override
        public StreamOptions streamOptions() {
            return options;
        }

        @Override
        public Integer call() throws Exception {
            StreamerCommand root = parent.root;
            Overrides flags = options.flags(profile).over(new Environment(root.environment).overrides());
            StreamSetup setup = StreamSetup.resolve(ConfigFile.find(config.file, root.environment), flags, root.plugins());
            print(parent.spec.commandLine().getOut(), setup.asProfile());
            return 0;
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Write a starter file: one default profile, '" + STARTER_PROFILE + "', for a snapserver on this machine.")
    static final class Init implements Callable<Integer> {
        @ParentCommand
        ConfigCommand parent;

        @Mixin
        ConfigOption config;

        @Option(names = "--force", description = "Replace an existing file (it is kept as FILE.bak).")
        boolean force;

        @Override
        public Integer call() throws Exception {
            StreamerCommand root = parent.root;
            Path path = config.location(root.environment);
            if (Files.exists(path) && !force) {
                throw new ConfigException(path + ": the file already exists; pass --force to replace it (the old one is kept as "
                        + ConfigWriter.backup(path).getFileName() + ")");
            }
            ObjectNode local = Json.MAPPER.createObjectNode();
            local.putObject("source").put("plugin", StreamSetup.defaultSource(root.plugins())).put("device", "");
            local.putObject("transport").put("plugin", StreamSetup.DEFAULT_TRANSPORT).put("host", "127.0.0.1").put("port", 4953);
            local.putObject("format").put("rate", 48000).put("bits", 16).put("channels", 2);
            local.put("preset", "ethernet");
            ConfigFile starter = ConfigFile.empty(path, shippedSchema()).withProfile(STARTER_PROFILE, local, true);
            ProfileCommand.requireValid(starter, STARTER_PROFILE, root);
            ConfigWriter.write(path, starter.text());
            PrintWriter out = parent.spec.commandLine().getOut();
            out.println(path + ": written, with the default profile '" + STARTER_PROFILE + "' (127.0.0.1:4953)."
                    + " Edit it or use 'streamer profile save', then: streamer config validate");
            out.flush();
            return 0;
        }
    }
}
