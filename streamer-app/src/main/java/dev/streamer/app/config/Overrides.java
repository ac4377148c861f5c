package dev.streamer.app.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the command line (or the environment) says about a stream; {@code null} means "not given".
 * Flags win over the environment, the environment over the profile, the profile over the built-in
 * defaults.
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
 * @param origins where a value came from when not from its flag, by flag name, e.g.
 *     {@code --port -> STREAMER_PORT}; error messages name that instead of the flag
 */
public record Overrides(String profile, String source, String transport, String host, Integer port, String device,
                        Integer rate, Integer channels, Integer bits, Integer chunkFrames, List<String> settings,
                        String preset, String silence, String threadPriority, Map<String, String> origins) {
    public Overrides {
        settings = settings == null ? List.of() : List.copyOf(settings);
        origins = origins == null ? Map.of() : Map.copyOf(origins);
    }

    /** Overrides given as flags. */
    public Overrides(String profile, String source, String transport, String host, Integer port, String device,
                     Integer rate, Integer channels, Integer bits, Integer chunkFrames, List<String> settings,
                     String preset, String silence, String threadPriority) {
        this(profile, source, transport, host, port, device, rate, channels, bits, chunkFrames, settings, preset, silence,
                threadPriority, Map.of());
    }

    /** Overrides without a preset, silence policy or thread priority. */
    public Overrides(String profile, String source, String transport, String host, Integer port, String device,
                     Integer rate, Integer channels, Integer bits, Integer chunkFrames, List<String> settings) {
        this(profile, source, transport, host, port, device, rate, channels, bits, chunkFrames, settings, null, null, null);
    }

    /** No overrides at all. */
    public static final Overrides NONE = new Overrides(null, null, null, null, null, null, null, null, null, null, List.of());

    /** Only {@code --profile name}. */
    public static Overrides profile(String name) {
        return new Overrides(name, null, null, null, null, null, null, null, null, null, List.of());
    }

    /** Return these overrides with the source plugin {@code name} instead. */
    public Overrides withSource(String name) {
        return new Overrides(profile, name, transport, host, port, device, rate, channels, bits, chunkFrames, settings, preset,
                silence, threadPriority, origins);
    }

    /** Return what names the value of {@code flag} in a message: the flag itself, or the variable it came from. */
    public String origin(String flag) {
        return origins.getOrDefault(flag, flag);
    }

    /** Return these overrides over {@code lower}: each value not given here is taken from there, with its origin. */
    public Overrides over(Overrides lower) {
        Map<String, String> merged = new HashMap<>(origins);
        return new Overrides(
                pick(profile, lower.profile, "--profile", lower, merged),
                pick(source, lower.source, "--source", lower, merged),
                pick(transport, lower.transport, "--transport", lower, merged),
                pick(host, lower.host, "--host", lower, merged),
                pick(port, lower.port, "--port", lower, merged),
                pick(device, lower.device, "--device", lower, merged),
                pick(rate, lower.rate, "--rate", lower, merged),
                pick(channels, lower.channels, "--channels", lower, merged),
                pick(bits, lower.bits, "--bits", lower, merged),
                pick(chunkFrames, lower.chunkFrames, "--chunk", lower, merged),
                settings, // --set is a flag only
                pick(preset, lower.preset, "--preset", lower, merged),
                pick(silence, lower.silence, "--silence", lower, merged),
                pick(threadPriority, lower.threadPriority, "--thread-priority", lower, merged),
                merged);
    }

    private static <T> T pick(T mine, T theirs, String flag, Overrides lower, Map<String, String> origins) {
        if (mine != null || theirs == null) {
            return mine;
        }
        if (lower.origins.containsKey(flag)) {
            origins.put(flag, lower.origin(flag));
        }
        return theirs;
    }
}
