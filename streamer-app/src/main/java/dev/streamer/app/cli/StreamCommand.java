package dev.streamer.app.cli;

import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceException;
import dev.streamer.api.spi.Transport;
import dev.streamer.app.config.ConfigException;
import dev.streamer.app.config.ConfigFile;
import dev.streamer.app.config.Overrides;
import dev.streamer.app.config.StreamSetup;
import dev.streamer.app.status.StatusPrinter;
import dev.streamer.core.Engine;
import dev.streamer.core.PluginRegistry;
import dev.streamer.core.StreamState;
import java.io.Console;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import sun.misc.Signal;

/** {@code streamer stream}: capture and send until Ctrl-C, SIGTERM, or the source ends. */
@Command(name = "stream", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Capture audio and send it as raw PCM to a receiver.",
                "By default: the default capture device to a Snapcast TCP source on 127.0.0.1:4953.",
                "Settings come from built-in defaults, then the network preset (--preset), then the profile,",
                "then these flags."})
final class StreamCommand implements Callable<Integer> {
    private static final System.Logger LOG = System.getLogger("dev.streamer.app");

    @ParentCommand
    StreamerCommand root;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: $XDG_CONFIG_HOME/streamer/config.json or ~/.config/streamer/config.json, if it exists).")
    Path config;

    @Option(names = {"--profile"}, paramLabel = "NAME", description = "Profile of the configuration file (default: its defaultProfile).")
    String profile;

    @Option(names = {"-H", "--host"}, paramLabel = "HOST", description = "Receiver host: name, IPv4 or IPv6 address (default 127.0.0.1).")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Receiver port (default 4953, Snapcast's TCP source).")
    Integer port;

    @Option(names = "--serve", paramLabel = "ADDRESS", arity = "0..1", fallbackValue = "127.0.0.1",
            description = {"Listen instead of connecting: receivers connect to ADDRESS:PORT (default 127.0.0.1, this machine only;",
                    ":: for every interface) and get raw PCM, or WAV at http://ADDRESS:PORT/stream.wav (a browser, ffplay, VLC)."})
    String serve;

    @Option(names = {"-d", "--device"}, paramLabel = "NAME", description = "Capture device: a unique part of its name (see: streamer devices).")
    String device;

    @Option(names = {"-r", "--rate"}, paramLabel = "HZ", description = "Sample rate on the wire (default 48000).")
    Integer rate;

    @Option(names = {"--channels"}, paramLabel = "N", description = "Channels on the wire: 1 or 2 (default 2).")
    Integer channels;

    @Option(names = {"-b", "--bits"}, paramLabel = "BITS", description = "Bits per sample on the wire: 16, 24 or 32 (default 16).")
    Integer bits;

    @Option(names = {"--preset"}, paramLabel = "NAME",
            description = "Network preset: ethernet (default), wifi, wifi-poor, custom. Sets ring, chunk, adaptive range and latency target.")
    String preset;

    @Option(names = {"--chunk"}, paramLabel = "FRAMES", description = "Frames per network write (preset ethernet: 512).")
    Integer chunk;

    @Option(names = {"--silence"}, paramLabel = "MODE",
            description = "send (default): keep sending silence; pause: stop writing after engine.silenceSeconds (10) below"
                    + " engine.silenceThresholdDbfs (-60), keeping the connection.")
    String silence;

    @Option(names = {"--thread-priority"}, paramLabel = "LEVEL",
            description = "normal (default) or high for the capture and sender threads; the log says what the OS applied.")
    String threadPriority;

    @Option(names = {"--source"}, paramLabel = "PLUGIN", description = "Source plugin (default javasound).")
    String source;

    @Option(names = {"--transport"}, paramLabel = "PLUGIN", description = "Transport plugin (default tcp).")
    String transport;

    @Option(names = {"-s", "--set"}, paramLabel = "KIND.KEY=VALUE",
            description = {"Any plugin or engine setting, e.g. --set transport.writeTimeoutMillis=2000 --set source.bufferMillis=40",
                    "--set engine.latencyTargetMillis=100 --set engine.adaptiveStableSeconds=60."})
    List<String> settings = List.of();

    @Option(names = {"--status"}, paramLabel = "MODE", defaultValue = "auto",
            description = "Status output: auto (a live line on a terminal, else a log line every 10 s; none with --quiet), line, log, json (JSON lines on"
                    + " stdout: every metric each second, quality every 5 s), none.")
    StatusPrinter.Mode status;

    @Override
    public Integer call() throws Exception {
        root.configureLogging(System.err);
        PluginRegistry plugins = root.plugins();
        List<String> sets = new ArrayList<>(settings);
        if (serve != null) {
            for (String setting : settings) {
                if (setting.startsWith("transport.mode=") || setting.startsWith("transport.listenAddress=")) {
                    throw new ConfigException("--serve " + serve + " and --set " + setting + " say the same thing; give one of them");
                }
            }
            sets.addAll(List.of("transport.mode=server", "transport.listenAddress=" + serve));
        }
        Overrides flags = new Overrides(profile, source, transport, host, port, device, rate, channels, bits, chunk, sets,
                preset, silence, threadPriority);
        StreamSetup setup = StreamSetup.resolve(ConfigFile.find(config, root.environment), flags, plugins);

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
