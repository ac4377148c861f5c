package dev.streamer.app.cli;

import dev.streamer.app.logging.LogLevel;
import dev.streamer.app.logging.Logging;
import dev.streamer.app.config.ConfigException;
import dev.streamer.core.PluginDirectory;
import dev.streamer.core.PluginException;
import dev.streamer.core.PluginRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/**
 * The root command: {@code streamer [--debug] <stream|devices|plugins|config|profile>}. Its model is
 * built in code, like {@code stream}'s (see {@link Options}).
 */
public final class StreamerCommand implements Runnable {
    /** Exit code for a failure at run time (device, network, plugins). */
    public static final int RUNTIME_FAILURE = 1;
    /** Exit code for a usage or configuration error. */
    public static final int USAGE = 2;

    private final OptionSpec debug = Options.flag("Log debug detail and print stack traces (same as --log-level debug, plus traces).",
            "--debug").scopeType(ScopeType.INHERIT).build();
    private final OptionSpec quiet = Options.flag("Log warnings and errors only, and no status line unless --status asks for one.",
            "-q", "--quiet").scopeType(ScopeType.INHERIT).build();
    private final OptionSpec logLevel = Options.valued(LogLevel.class, "LEVEL",
            "error, warn, info (default), debug or trace; wins over --quiet and --debug.", "--log-level").scopeType(ScopeType.INHERIT).build();
    private final OptionSpec logFile = Options.valued(Path.class, "FILE",
            "Append log lines (with the date) to FILE instead of standard error; rotate it with copytruncate.", "--log-file")
            .scopeType(ScopeType.INHERIT).build();
    private final OptionSpec pluginPath = Options.repeated(Path.class, "DIR", "--plugin-path")
            .description("Also load plugin jars from DIR (repeatable). The image's plugins/ directory is always searched.")
            .scopeType(ScopeType.INHERIT).build();
    private final CommandSpec spec;

    final Map<String, String> environment;

    StreamerCommand(Map<String, String> environment) {
        this.environment = environment;
        spec = Options.withStandardHelp(CommandSpec.wrapWithoutInspection(this).name("streamer").versionProvider(new Version()));
        spec.usageMessage()
                .description("Streams the sound of this computer as raw PCM over the network,", "e.g. into a Snapcast server's TCP source.")
                .footer("", "Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error.",
                        "Start with: streamer devices, then streamer stream --host SNAPSERVER");
        for (OptionSpec option : List.of(debug, quiet, logLevel, logFile, pluginPath)) {
            spec.addOption(option);
        }
    }

    /** A command line over this root, without subcommands yet. */
    CommandLine commandLine() {
        return new CommandLine(spec);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    boolean debug() {
        return Options.given(debug);
    }

    boolean quiet() {
        return Options.given(quiet);
    }

    /** Find the plugins of the image, of its plugins/ directory and of --plugin-path; fail if they cannot run streamer. */
    PluginRegistry plugins() throws PluginException {
        List<Path> directories = new ArrayList<>();
        directories.add(Path.of(System.getProperty("java.home"), "plugins"));
        List<Path> extra = Options.all(pluginPath);
        directories.addAll(extra);
        for (Path directory : extra) {
            if (!Files.isDirectory(directory)) {
                throw new PluginException("--plugin-path " + directory + ": no such directory");
            }
        }
        return PluginRegistry.load(PluginDirectory.layer(directories));
    }

    void configureLogging(PrintStream err) throws ConfigException {
        LogLevel chosen = logLevel.getValue();
        LogLevel level = chosen != null ? chosen : debug() ? LogLevel.DEBUG : quiet() ? LogLevel.WARN : LogLevel.INFO;
        Path logFile = this.logFile.getValue();
        try {
            Logging.configure(level, debug(), logFile, err);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("--log-file " + logFile + ": cannot append to it: " + describe(e)
                    + "; give a writable file (its directory must exist)");
        }
    }

    private static String describe(Exception e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException missing -> "no such directory " + java.nio.file.Path.of(missing.getFile()).getParent();
            case java.nio.file.AccessDeniedException denied -> "permission denied";
            case java.nio.file.FileSystemException other when other.getReason() != null -> other.getReason();
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }

    /** The subcommands, in the order of the help. */
    private static final List<String> SUBCOMMANDS = List.of("stream", "devices", "plugins", "config", "profile", "help");

    private Object subcommand(String name) {
        return switch (name) {
            case "stream" -> new StreamCommand(this).commandSpec();
            case "devices" -> new DevicesCommand();
            case "plugins" -> new PluginsCommand();
            case "config" -> withStreamOptions(new ConfigCommand());
            case "profile" -> withStreamOptions(new ProfileCommand());
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** A command line for {@code command} whose subcommands that take the stream flags ({@link StreamOptions.Holder}) have them. */
    private static CommandLine withStreamOptions(Object command) {
        CommandLine line = new CommandLine(command);
        for (CommandLine sub : line.getSubcommands().values()) {
            if (sub.getCommand() instanceof StreamOptions.Holder holder) {
                Options.withStandardHelp(sub.getCommandSpec().addMixin("streamOptions", holder.streamOptions().mixin()));
            }
        }
        return line;
    }

    /**
     * Return the subcommands {@code args} needs: only the one it names, since picocli builds the
     * model of every command it is given, a good part of the start-up; all of them for the help,
     * for a mistyped name (to suggest one) and when none is named. The root's own options, found in
     * {@code root}'s model, are stepped over with their values.
     */
    static Collection<String> needed(CommandLine root, String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("-")) {
                CommandLine.Model.OptionSpec option = root.getCommandSpec().findOption(args[i]);
                i += option != null && option.arity().min() > 0 ? 1 : 0; // its value is the next argument
                continue;
            }
            return SUBCOMMANDS.contains(args[i]) && !args[i].equals("help") ? List.of(args[i]) : SUBCOMMANDS;
        }
        return SUBCOMMANDS;
    }

    /** Run the command line and return the exit code. */
    public static int execute(String[] args, PrintStream out, PrintStream err, Map<String, String> environment) {
        StreamerCommand root = new StreamerCommand(environment);
        CommandLine cli = root.commandLine();
        for (String name : needed(cli, args)) { // before the settings below, which apply to the subcommands present
            cli.addSubcommand(name, root.subcommand(name));
        }
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        // a usage error is one line like every other error, instead of the whole help
        cli.setParameterExceptionHandler((e, arguments) -> {
            err.println("streamer: " + e.getMessage() + " (see: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            CommandLine.UnmatchedArgumentException.printSuggestions(e, cli.getErr());
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean debug = root.debug();
            if (e instanceof ConfigException) {
                err.println("streamer: " + e.getMessage());
                return USAGE;
            }
            if (e instanceof PluginException || e instanceof dev.streamer.api.spi.SourceException
                    || e instanceof dev.streamer.api.spi.TransportException) {
                err.println("streamer: " + e.getMessage());
                if (debug) {
                    e.printStackTrace(err);
                }
                return RUNTIME_FAILURE;
            }
            err.println("streamer: unexpected error: " + e + (debug ? "" : " (run with --debug for details)"));
            if (debug) {
                e.printStackTrace(err);
            }
            return RUNTIME_FAILURE;
        });
        try {
            return cli.execute(args);
        } finally {
            Logging.finish(); // the counts of rate-limited repeats, before the program ends
        }
    }

    /** Prints the version from the module descriptor. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = StreamerCommand.class.getModule().getDescriptor() == null ? "dev"
                    : StreamerCommand.class.getModule().getDescriptor().rawVersion().orElse("dev");
            return new String[] {"streamer " + version, "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"};
        }
    }
}
