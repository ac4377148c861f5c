package dev.streamer.app.cli;

import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceException;
import dev.streamer.api.spi.SourceProvider;
import dev.streamer.api.spi.Transport;
import dev.streamer.app.config.ConfigException;
import dev.streamer.app.config.ConfigFile;
import dev.streamer.app.config.Environment;
import dev.streamer.app.config.Overrides;
import dev.streamer.app.config.StreamSetup;
import dev.streamer.app.status.StatusPrinter;
import dev.streamer.core.Engine;
import dev.streamer.core.EngineListener;
import dev.streamer.core.PluginException;
import dev.streamer.core.PluginRegistry;
import dev.streamer.core.StreamState;
import dev.streamer.core.StreamStatus;
import java.io.Console;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import sun.misc.Signal;

/** {@code streamer stream}: capture and send until Ctrl-C, SIGTERM, or the source ends. Its model is built in code (see {@link Options}). */
final class StreamCommand implements Callable<Integer> {
    private static final System.Logger LOG = System.getLogger("dev.streamer.app");
    /** What the first run streams when nobody chose a source and the default one has no device. */
    static final String TEST_TONE_SOURCE = "signal";

    private final StreamerCommand root;
    private final OptionSpec config = Options.valued(Path.class, "FILE", "Configuration file (default: $XDG_CONFIG_HOME/streamer/config.json"
            + " or ~/.config/streamer/config.json, if it exists).", "-c", "--config").build();
    private final OptionSpec profile = Options.valued(String.class, "NAME",
            "Profile of the configuration file (default: its defaultProfile).", "--profile").build();
    private final StreamOptions options = new StreamOptions();
    private final OptionSpec status = Options.valued(StatusPrinter.Mode.class, "MODE", "Status output: auto (a live line on a terminal,"
            + " else a log line every 10 s; none with --quiet), line, log, json (JSON lines on stdout: every metric each second, quality"
            + " every 5 s), none.", "--status").defaultValue("auto").build();

    StreamCommand(StreamerCommand root) {
        this.root = root;
    }

    /** This command's model, with this object as what runs. */
    CommandSpec commandSpec() {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(this).name("stream").versionProvider(new StreamerCommand.Version());
        spec.usageMessage().sortOptions(false).description("Capture audio and send it as raw PCM to a receiver.",
                "By default: the default capture device to a Snapcast TCP source on 127.0.0.1:4953.",
                "Settings come from built-in defaults, then the network preset (--preset), then the profile,",
                "then the environment (STREAMER_HOST, STREAMER_PORT, ...), then these flags.");
        spec.addOption(config).addOption(profile).addMixin("streamOptions", options.mixin()).addOption(status);
        return Options.withStandardHelp(spec);
    }

    @Override
    public Integer call() throws Exception {
        root.configureLogging(System.err);
        PluginRegistry plugins = root.plugins();
        Overrides flags = options.flags(profile.getValue()).over(new Environment(root.environment).overrides());
        Optional<ConfigFile> file = ConfigFile.find(config.getValue(), root.environment);
        StreamSetup setup = StreamSetup.resolve(file, flags, plugins);
        if (!setup.sourceChosen()) {
            setup = firstSourceThatCaptures(setup, file, flags, plugins);
        }

        Source captured = PluginRegistry.newSource(setup.sourceProvider(), setup.sourceSettings(),
                PluginContext.system("dev.streamer.source." + setup.sourceProvider().name()));
        Transport sending = PluginRegistry.newTransport(setup.transportProvider(), setup.transportSettings(),
                PluginContext.system("dev.streamer.transport." + setup.transportProvider().name()));
        Console console = System.console();
        StatusPrinter.Mode asked = status.getValue();
        StatusPrinter.Mode shown = root.quiet() && asked == StatusPrinter.Mode.AUTO ? StatusPrinter.Mode.NONE : asked;
        StatusPrinter printer = new StatusPrinter(shown, System.out, System.err, console != null && console.isTerminal());
        CountDownLatch stopRequested = new CountDownLatch(1);
        Engine engine = Engine.builder(setup.engine(), captured, sending).listener(endsWith(printer, stopRequested)).build();
        for (String signal : List.of("INT", "TERM")) {
            Signal.handle(new Signal(signal), s -> stopRequested.countDown());
        }
        try {
            engine.start();
        } catch (SourceException e) {
            String source = setup.sourceProvider().name();
            throw new SourceException(e.getMessage() + (StreamSetup.DEFAULT_SOURCES.contains(source)
                    ? "\nList the capture devices with: streamer devices --source " + source : ""), e);
        }
        NextSteps.forTarget(sending.target()).ifPresent(hint -> LOG.log(System.Logger.Level.INFO, hint));
        // a signal or the engine's own end (the source ended, a failure) wakes this thread; until then it sleeps
        while (!stopRequested.await(1, TimeUnit.MINUTES)) {
            if (engine.awaitTermination(Duration.ZERO)) {
                break;
            }
        }
        engine.stop();
        return engine.state() == StreamState.FAILED ? StreamerCommand.RUNTIME_FAILURE : 0;
    }

    /** Pass everything to {@code printer}, and count {@code ended} down once the engine stopped or failed. */
    private static EngineListener endsWith(StatusPrinter printer, CountDownLatch ended) {
        return new EngineListener() {
            @Override
            public void stateChanged(StreamState state, String detail) {
                printer.stateChanged(state, detail);
                if (state == StreamState.STOPPED || state == StreamState.FAILED) {
                    ended.countDown();
                }
            }

            @Override
            public void status(StreamStatus status) {
                printer.status(status);
            }
        };
    }

    /**
     * Nothing named a source: take the first default source that finds a device (no PulseAudio
     * server: Java Sound), else a test tone, so that a fresh machine without a sound card (a server,
     * a container) shows the rest working rather than failing.
     */
    private static StreamSetup firstSourceThatCaptures(StreamSetup setup, Optional<ConfigFile> file, Overrides flags,
                                                       PluginRegistry plugins) throws ConfigException, PluginException {
        List<String> found = new ArrayList<>();
        for (String name : StreamSetup.DEFAULT_SOURCES) {
            if (!plugins.hasSource(name)) {
                continue;
            }
            StreamSetup candidate = name.equals(setup.sourceProvider().name()) ? setup
                    : StreamSetup.resolve(file, flags.withSource(name), plugins);
            if (capturesSomething(candidate.sourceProvider())) {
                if (!found.isEmpty()) {
                    LOG.log(System.Logger.Level.INFO, "the " + String.join(" and ", found) + " source finds no capture device:"
                            + " capturing with the '" + name + "' source instead");
                }
                return candidate;
            }
            found.add(name);
        }
        if (!plugins.hasSource(TEST_TONE_SOURCE)) {
            return setup;
        }
        LOG.log(System.Logger.Level.WARNING, "no capture device on this machine (the " + String.join(" and ", found)
                + " source finds none): streaming a test tone from the '" + TEST_TONE_SOURCE + "' source instead. Choose a"
                + " source with --source (streamer plugins lists them); see the README's Troubleshooting for capture devices.");
        return StreamSetup.resolve(file, flags.withSource(TEST_TONE_SOURCE), plugins);
    }

    private static boolean capturesSomething(SourceProvider<?> provider) {
        try {
            return !provider.devices().isEmpty();
        } catch (SourceException e) {
            LOG.log(System.Logger.Level.DEBUG, provider.name() + ": " + e.getMessage());
            return false;
        }
    }
}
