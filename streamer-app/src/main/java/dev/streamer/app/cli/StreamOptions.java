package dev.streamer.app.cli;

import dev.streamer.app.config.ConfigException;
import dev.streamer.app.config.Overrides;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The flags that set what a stream is, shared by {@code stream}, {@code config show} and {@code profile save}. */
final class StreamOptions {
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

    /** Return these flags, with {@code profile} ({@code --profile}, may be null). */
    Overrides flags(String profile) throws ConfigException {
        List<String> sets = new ArrayList<>(settings);
        if (serve != null) { // the short form of two transport settings
            for (String setting : settings) {
                if (setting.startsWith("transport.mode=") || setting.startsWith("transport.listenAddress=")) {
                    throw new ConfigException("--serve " + serve + " and --set " + setting + " say the same thing; give one of them");
                }
            }
            sets.addAll(List.of("transport.mode=server", "transport.listenAddress=" + serve));
        }
        return new Overrides(profile, source, transport, host, port, device, rate, channels, bits, chunk, sets, preset, silence,
                threadPriority);
    }
}
