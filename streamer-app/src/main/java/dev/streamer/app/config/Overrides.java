package dev.streamer.app.config;

import java.util.List;

/**
 * What the command line says about a stream; {@code null} means "not given". Flags win over the
 * profile, the profile over the built-in defaults.
 *
 * @param profile {@code --profile}
 * @param source {@code --source}, the source plugin
 * @param transport {@code --transport}, the transport plugin
 * @param host {@code --host}, the transport's {@code host} setting
 * @param port {@code --port}, the transport's {@code port} setting
 * @param device {@code --device}, the source's {@code device} setting
 * @param rate {@code --rate}
 * @param channels {@code --channels}
 * @param bits {@code --bits}
 * @param chunkFrames {@code --chunk}
 * @param settings {@code --set source.KEY=VALUE}, {@code --set transport.KEY=VALUE} and
 *     {@code --set engine.KEY=VALUE}
 * @param preset {@code --preset}: ethernet, wifi, wifi-poor or custom
 * @param silence {@code --silence}: send or pause
 * @param threadPriority {@code --thread-priority}: normal or high
 */
public record Overrides(String profile, String source, String transport, String host, Integer port, String device,
                        Integer rate, Integer channels, Integer bits, Integer chunkFrames, List<String> settings,
                        String preset, String silence, String threadPriority) {
    public Overrides {
        settings = settings == null ? List.of() : List.copyOf(settings);
    }

    /** Overrides without a preset, silence policy or thread priority. */
    public Overrides(String profile, String source, String transport, String host, Integer port, String device,
                     Integer rate, Integer channels, Integer bits, Integer chunkFrames, List<String> settings) {
        this(profile, source, transport, host, port, device, rate, channels, bits, chunkFrames, settings, null, null, null);
    }

    /** No overrides at all. */
    public static final Overrides NONE = new Overrides(null, null, null, null, null, null, null, null, null, null, List.of());
}
