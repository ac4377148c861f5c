package dev.streamer.app.cli;

import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceException;
import dev.streamer.api.spi.Transport;
import dev.streamer.app.config.ConfigFile;
import dev.streamer.app.config.Environment;
import dev.streamer.app.config.Overrides;
import dev.streamer.app.config.StreamSetup;
import dev.streamer.app.status.StatusPrinter;
import dev.streamer.core.Engine;
import dev.streamer.core.PluginRegistry;
import dev.streamer.core.StreamState;
import java.io.Console;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import sun.misc.Signal;

/** {@code streamer stream}: capture and send until Ctrl-C, SIGTERM, or the source ends. */
@Command(name = "stream", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Capture audio and send it as raw PCM to a receiver.",
                "By default: the default capture device to a Snapcast TCP source on 127.0.0.1:4953.",
                "Settings come from built-in defaults, then the network preset (--preset), then the profile,",
                "then the environment (STREAMER_HOST, STREAMER_PORT, ...), then these flags."})
final class StreamCommand implements Callable<Integer> {
    private static final System.Logger LOG = System.getLogger("dev.streamer.app");
    /** What the first run streams when nobody chose a source and the default one has no device. */
    static final String TEST_TONE_SOURCE = "signal";

    @ParentCommand
    StreamerCommand root;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: $XDG_CONFIG_HOME/streamer/config.json or ~/.config/streamer/config.json, if it exists).")
    Path config;

    @Option(names = {"--profile"}, paramLabel = "NAME", description = "Profile of the configuration file (default: its defaultProfile).")
    String profile;

    @Mixin
    StreamOptions options;

    @Option(names = {"--status"}, paramLabel = "MODE", defaultValue = "auto",
            description = "Status output: auto (a live line on a terminal, else a log line every 10 s; none with --quiet), line, log, json (JSON lines on"
                    + " stdout: every metric each second, quality every 5 s), none.")
    StatusPrinter.Mode status;

    @Override
    public Integer call() throws Exception {
        root.configureLogging(System.err);
        PluginRegistry plugins = root.plugins();
        Overrides flags = options.flags(profile).over(new Environment(root.environment).overrides());
        Optional<ConfigFile> file = ConfigFile.find(config, root.environment);
        StreamSetup setup = StreamSetup.resolve(file, flags, plugins);
        if (!setup.sourceChosen() && setup.sourceProvider().devices().isEmpty() && plugins.hasSource(TEST_TONE_SOURCE)) {
            // A fresh machine without a sound card (a server, a container): show the rest working rather than fail.
            LOG.log(System.Logger.Level.WARNING, "no capture device on this machine (the " + setup.sourceProvider().name()
                    + " source finds none): streaming a test tone from the '" + TEST_TONE_SOURCE + "' source instead. Choose a"
                    + " source with --source (streamer plugins lists them); see the README's Troubleshooting for capture devices.");
            setup = StreamSetup.resolve(file, flags.withSource(TEST_TONE_SOURCE), plugins);
        }

        Source captured = PluginRegistry.newSource(setup.sourceProvider(), setup.sourceSettings(),
                PluginContext.system("dev.streamer.source." + setup.sourceProvider().name()));
        Transport sending = PluginRegistry.newTransport(setup.transportProvider(), setup.transportSettings(),
                PluginContext.system("dev.streamer.transport." + setup.transportProvider().name()));
        Console console = System.console();
        StatusPrinter.Mode shown = root.quiet && status == StatusPrinter.Mode.AUTO ? StatusPrinter.Mode.NONE : status;
        StatusPrinter printer = new StatusPrinter(shown, System.out, System.err, console != null && console.isTerminal());
        Engine engine = Engine.builder(setup.engine(), captured, sending).listener(printer).build();

        CountDownLatch stopRequested = new CountDownLatch(1);
        for (String signal : List.of("INT", "TERM")) {
            Signal.handle(new Signal(signal), s -> stopRequested.countDown());
        }
        try {
            engine.start();
        } catch (SourceException e) {
            throw new SourceException(e.getMessage() + (setup.sourceProvider().name().equals(StreamSetup.DEFAULT_SOURCE)
                    ? "\nList the capture devices with: streamer devices" : ""), e);
        }
        NextSteps.forTarget(sending.target()).ifPresent(hint -> LOG.log(System.Logger.Level.INFO, hint));
        while (!stopRequested.await(100, TimeUnit.MILLISECONDS)) {
            if (engine.awaitTermination(Duration.ZERO)) {
                break;
            }
        }
        engine.stop();
        return engine.state() == StreamState.FAILED ? StreamerCommand.RUNTIME_FAILURE : 0;
    }
}
