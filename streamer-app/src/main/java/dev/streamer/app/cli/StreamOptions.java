package dev.streamer.app.cli;

import dev.streamer.app.config.ConfigException;
import dev.streamer.app.config.Overrides;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The flags that set what a stream is, shared by {@code stream}, {@code config show} and
 * {@code profile save}: a picocli mixin built in code. {@code stream} runs on every start, and an
 * annotated one costs picocli's reading of annotations (dynamic proxy classes that no AOT cache
 * holds), a good part of the launch to first byte; see {@link Options}.
 */
final class StreamOptions {
    /**
     * An annotated command that takes these flags: {@link StreamerCommand} adds them to its model,
     * then {@code -h} and {@code -V}, so that they come last in its help as in every command's.
     */
    interface Holder {
        StreamOptions streamOptions();
    }

    private final OptionSpec host = Options.valued(String.class, "HOST",
            "Receiver host: name, IPv4 or IPv6 address (default 127.0.0.1).", "-H", "--host").build();
    private final OptionSpec port = Options.valued(Integer.class, "PORT",
            "Receiver port (default 4953, Snapcast's TCP source).", "-p", "--port").build();
    private final OptionSpec serve = Options.valued(String.class, "ADDRESS", "", "--serve").arity("0..1").fallbackValue("127.0.0.1")
            .description("Listen instead of connecting: receivers connect to ADDRESS:PORT (default 127.0.0.1, this machine only;",
                    ":: for every interface) and get raw PCM, or WAV at http://ADDRESS:PORT/stream.wav (a browser, ffplay, VLC).")
            .build();
    private final OptionSpec device = Options.valued(String.class, "NAME",
            "Capture device: a unique part of its name (see: streamer devices).", "-d", "--device").build();
    private final OptionSpec rate = Options.valued(Integer.class, "HZ",
            "Sample rate on the wire (default 48000).", "-r", "--rate").build();
    private final OptionSpec channels = Options.valued(Integer.class, "N",
            "Channels on the wire: 1 or 2 (default 2).", "--channels").build();
    private final OptionSpec bits = Options.valued(Integer.class, "BITS",
            "Bits per sample on the wire: 16, 24 or 32 (default 16).", "-b", "--bits").build();
    private final OptionSpec preset = Options.valued(String.class, "NAME",
            "Network preset: ethernet (default), wifi, wifi-poor, custom. Sets ring, chunk, adaptive range and latency target.",
            "--preset").build();
    private final OptionSpec chunk = Options.valued(Integer.class, "FRAMES",
            "Frames per network write (preset ethernet: 512).", "--chunk").build();
    private final OptionSpec silence = Options.valued(String.class, "MODE",
            "send (default): keep sending silence; pause: stop writing after engine.silenceSeconds (10) below"
                    + " engine.silenceThresholdDbfs (-60), keeping the connection.", "--silence").build();
    private final OptionSpec threadPriority = Options.valued(String.class, "LEVEL",
            "normal (default) or high for the capture and sender threads; the log says what the OS applied.", "--thread-priority").build();
    private final OptionSpec source = Options.valued(String.class, "PLUGIN",
            "Source plugin (default: pulse, else javasound; a test tone when neither finds a capture device).", "--source").build();
    private final OptionSpec transport = Options.valued(String.class, "PLUGIN",
            "Transport plugin (default tcp).", "--transport").build();
    private final OptionSpec settings = Options.repeated(String.class, "KIND.KEY=VALUE", "-s", "--set").description(
            "Any plugin or engine setting, e.g. --set transport.writeTimeoutMillis=2000 --set source.bufferMillis=40",
            "--set engine.latencyTargetMillis=100 --set engine.adaptiveStableSeconds=60.").build();

    /** Return these flags as a mixin for a command's model, in the order of the help. */
    CommandSpec mixin() {
        CommandSpec mixin = CommandSpec.create();
        for (OptionSpec option : List.of(host, port, serve, device, rate, channels, bits, preset, chunk, silence, threadPriority, source,
                transport, settings)) {
            mixin.addOption(option);
        }
        return mixin;
    }

    /** Return these flags, with {@code profile} ({@code --profile}, may be null). */
    Overrides flags(String profile) throws ConfigException {
        List<String> sets = new ArrayList<>(Options.<String>all(settings));
        String serveAddress = serve.getValue();
        if (serveAddress != null) { // the short form of two transport settings
            for (String setting : sets) {
                if (setting.startsWith("transport.mode=") || setting.startsWith("transport.listenAddress=")) {
                    throw new ConfigException("--serve " + serveAddress + " and --set " + setting + " say the same thing; give one of them");
                }
            }
            sets.addAll(List.of("transport.mode=server", "transport.listenAddress=" + serveAddress));
        }
        return new Overrides(profile, source.getValue(), transport.getValue(), host.getValue(), port.getValue(), device.getValue(),
                rate.getValue(), channels.getValue(), bits.getValue(), chunk.getValue(), sets, preset.getValue(), silence.getValue(),
                threadPriority.getValue());
    }
}
