package dev.streamer.core;

import dev.streamer.api.PcmFormat;
import java.time.Duration;
import java.util.Objects;

/**
 * How the engine buffers and sends. {@link #forPreset} gives a preset's numbers; the app layers the
 * profile and the command line over them.
 *
 * @param wireFormat the format of every byte sent (default 48 kHz s16le stereo)
 * @param chunkFrames frames per network write (default 512, 10.7 ms at 48 kHz)
 * @param ringMillis the ring's effective capacity at start: how long a stalled link is absorbed
 *     before the newest audio is dropped (default 2000). The adaptive controller moves it within
 *     {@code adaptive}'s range; the memory is allocated once at the range's maximum.
 * @param latencyTargetMillis the standing backlog beyond which the oldest audio is dropped so the
 *     receiver hears the present, and the most audio kept while disconnected (default 60). A
 *     transient backlog (after a stall) is sent as fast as the link takes it, without loss; only a
 *     backlog whose minimum over {@value Engine#STANDING_WINDOW_MILLIS} ms stays above the target
 *     is cut down to it.
 * @param reconnect how the receiver is retried
 * @param preset the preset these numbers started from, for logs and status
 * @param adaptive the adaptive controller's range and timings
 * @param silence what to do while the input is silent
 * @param heartbeat how often the sender thread logs that it is alive (default 30 s); the watchdog
 *     reports a sender that stopped beating
 * @param threadPriority the priority asked for the capture and sender threads
 */
public record EngineConfig(PcmFormat wireFormat, int chunkFrames, int ringMillis, int latencyTargetMillis,
                           ReconnectPolicy reconnect, NetworkPreset preset, AdaptivePolicy adaptive, SilencePolicy silence,
                           Duration heartbeat, ThreadPriority threadPriority) {

    /** The default heartbeat interval. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(30);

    /** The built-in defaults: the {@link NetworkPreset#DEFAULT} preset's numbers. */
    public static final EngineConfig DEFAULT = forPreset(NetworkPreset.DEFAULT);

    public EngineConfig {
        Objects.requireNonNull(wireFormat, "wireFormat");
        Objects.requireNonNull(reconnect, "reconnect");
        Objects.requireNonNull(preset, "preset");
        Objects.requireNonNull(adaptive, "adaptive");
        Objects.requireNonNull(silence, "silence");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(threadPriority, "threadPriority");
        if (chunkFrames < 32 || chunkFrames > 16_384) {
            throw new IllegalArgumentException("chunk of " + chunkFrames + " frames is outside 32..16384");
        }
        if (ringMillis < 100 || ringMillis > 60_000) {
            throw new IllegalArgumentException("ring of " + ringMillis + " ms is outside 100..60000");
        }
        if (ringMillis < adaptive.minMillis() || ringMillis > adaptive.maxMillis()) {
            throw new IllegalArgumentException("ring of " + ringMillis + " ms is outside the adaptive range "
                    + adaptive.minMillis() + ".." + adaptive.maxMillis() + " ms (adaptiveMinMillis..adaptiveMaxMillis)");
        }
        if (latencyTargetMillis < 1 || latencyTargetMillis > adaptive.minMillis()) {
            throw new IllegalArgumentException("latency target " + latencyTargetMillis + " ms is outside 1.." + adaptive.minMillis()
                    + " (the smallest ring)");
        }
        double chunkMillis = 1000.0 * chunkFrames / wireFormat.sampleRate();
        if (chunkMillis * 2 > adaptive.minMillis()) {
            throw new IllegalArgumentException("ring of " + adaptive.minMillis() + " ms cannot hold two chunks of "
                    + Math.round(chunkMillis) + " ms");
        }
        if (latencyTargetMillis < chunkMillis * 2) {
            throw new IllegalArgumentException("latency target " + latencyTargetMillis + " ms is less than two chunks of "
                    + String.format(java.util.Locale.ROOT, "%.1f", chunkMillis) + " ms: a backlog of one chunk is normal");
        }
        if (heartbeat.compareTo(Duration.ofSeconds(1)) < 0 || heartbeat.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("heartbeat of " + heartbeat.toSeconds() + " s is outside 1..3600 s");
        }
    }

    /**
     * A fixed ring (no adaptive range), sending silence, normal priority, 30 s heartbeat: the
     * buffering of the first versions, for tests and embedders that want exactly these numbers.
     */
    public EngineConfig(PcmFormat wireFormat, int chunkFrames, int ringMillis, int latencyTargetMillis, ReconnectPolicy reconnect) {
        this(wireFormat, chunkFrames, ringMillis, latencyTargetMillis, reconnect, NetworkPreset.CUSTOM,
                AdaptivePolicy.fixed(ringMillis), SilencePolicy.DEFAULT, DEFAULT_HEARTBEAT, ThreadPriority.NORMAL);
    }

    /** Return the preset's numbers with the default wire format and everything else at its default. */
    public static EngineConfig forPreset(NetworkPreset preset) {
        return new EngineConfig(PcmFormat.DEFAULT_WIRE, preset.chunkFrames(), preset.ringMillis(), preset.latencyTargetMillis(),
                ReconnectPolicy.DEFAULT, preset, AdaptivePolicy.of(preset), SilencePolicy.DEFAULT, DEFAULT_HEARTBEAT,
                ThreadPriority.NORMAL);
    }

    public EngineConfig withWireFormat(PcmFormat format) {
        return new EngineConfig(format, chunkFrames, ringMillis, latencyTargetMillis, reconnect, preset, adaptive, silence,
                heartbeat, threadPriority);
    }

    public EngineConfig withChunkFrames(int frames) {
        return new EngineConfig(wireFormat, frames, ringMillis, latencyTargetMillis, reconnect, preset, adaptive, silence,
                heartbeat, threadPriority);
    }

    public EngineConfig withAdaptive(AdaptivePolicy value) {
        return new EngineConfig(wireFormat, chunkFrames, ringMillis, latencyTargetMillis, reconnect, preset, value, silence,
                heartbeat, threadPriority);
    }

    public EngineConfig withSilence(SilencePolicy value) {
        return new EngineConfig(wireFormat, chunkFrames, ringMillis, latencyTargetMillis, reconnect, preset, adaptive, value,
                heartbeat, threadPriority);
    }

    public EngineConfig withHeartbeat(Duration value) {
        return new EngineConfig(wireFormat, chunkFrames, ringMillis, latencyTargetMillis, reconnect, preset, adaptive, silence,
                value, threadPriority);
    }

    public EngineConfig withThreadPriority(ThreadPriority value) {
        return new EngineConfig(wireFormat, chunkFrames, ringMillis, latencyTargetMillis, reconnect, preset, adaptive, silence,
                heartbeat, value);
    }

    public EngineConfig withReconnect(ReconnectPolicy value) {
        return new EngineConfig(wireFormat, chunkFrames, ringMillis, latencyTargetMillis, value, preset, adaptive, silence,
                heartbeat, threadPriority);
    }

    /** Return the bytes in one chunk of the wire format. */
    public int chunkBytes() {
        return wireFormat.bytes(chunkFrames);
    }

    /** Return the duration of one chunk in nanoseconds. */
    public long chunkNanos() {
        return chunkFrames * 1_000_000_000L / wireFormat.sampleRate();
    }
}
