package dev.streamer.core;

import dev.streamer.api.PcmFormat;
import java.util.Objects;

/**
 * How the engine buffers and sends.
 *
 * @param wireFormat the format of every byte sent (default 48 kHz s16le stereo)
 * @param chunkFrames frames per network write (default 512, 10.7 ms at 48 kHz)
 * @param ringMillis ring capacity: how long a stalled link is absorbed before the newest audio is
 *     dropped (default 2000)
 * @param latencyTargetMillis the backlog beyond which the oldest audio is dropped so the receiver
 *     hears the present, and the most audio kept while disconnected (default 250)
 * @param reconnect how the receiver is retried
 */
public record EngineConfig(PcmFormat wireFormat, int chunkFrames, int ringMillis, int latencyTargetMillis,
                           ReconnectPolicy reconnect) {

    public static final EngineConfig DEFAULT = new EngineConfig(PcmFormat.DEFAULT_WIRE, 512, 2000, 250, ReconnectPolicy.DEFAULT);

    public EngineConfig {
        Objects.requireNonNull(wireFormat, "wireFormat");
        Objects.requireNonNull(reconnect, "reconnect");
        if (chunkFrames < 32 || chunkFrames > 16_384) {
            throw new IllegalArgumentException("chunk of " + chunkFrames + " frames is outside 32..16384");
        }
        if (ringMillis < 100 || ringMillis > 60_000) {
            throw new IllegalArgumentException("ring of " + ringMillis + " ms is outside 100..60000");
        }
        if (latencyTargetMillis < 1 || latencyTargetMillis > ringMillis) {
            throw new IllegalArgumentException("latency target " + latencyTargetMillis + " ms is outside 1.." + ringMillis
                    + " (the ring size)");
        }
        long chunkMillis = 1000L * chunkFrames / wireFormat.sampleRate();
        if (chunkMillis * 2 > ringMillis) {
            throw new IllegalArgumentException("ring of " + ringMillis + " ms cannot hold two chunks of " + chunkMillis + " ms");
        }
    }

    public EngineConfig withWireFormat(PcmFormat format) {
        return new EngineConfig(format, chunkFrames, ringMillis, latencyTargetMillis, reconnect);
    }

    public EngineConfig withChunkFrames(int frames) {
        return new EngineConfig(wireFormat, frames, ringMillis, latencyTargetMillis, reconnect);
    }

    /** Return the bytes in one chunk of the wire format. */
    public int chunkBytes() {
        return wireFormat.bytes(chunkFrames);
    }
}
