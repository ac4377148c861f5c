package dev.streamer.core;

import dev.streamer.api.spi.TransportException;
import java.time.Duration;
import java.util.Map;

/**
 * An immutable snapshot of the engine, published to {@link EngineListener#status} about once a
 * second. Amounts of audio are in milliseconds, one unit for everything that was lost.
 *
 * @param state where the engine is
 * @param target where audio goes, e.g. {@code tcp://127.0.0.1:4953}
 * @param peer the connected receiver, empty when not connected
 * @param source what is captured, e.g. the device and its format
 * @param uptime time since start
 * @param bytesSent payload bytes written to receivers since start
 * @param bitrateKbps payload rate over the last interval, kilobits per second
 * @param bufferedMillis audio waiting in the ring now
 * @param ringMillis ring capacity
 * @param deviceOverrunMillis audio the device discarded because capture fell behind
 * @param ringOverflowMillis newest audio dropped because the ring was full (the sender was stuck)
 * @param latencyDropMillis oldest audio dropped while connected to stay within the latency target
 * @param staleDrainMillis audio discarded while disconnected, so the receiver never gets stale audio
 * @param connects successful connections since start
 * @param errors failures counted by kind
 * @param lastError the last failure in words, empty if none
 */
public record StreamStatus(StreamState state, String target, String peer, String source, Duration uptime,
                           long bytesSent, double bitrateKbps, long bufferedMillis, long ringMillis,
                           long deviceOverrunMillis, long ringOverflowMillis, long latencyDropMillis,
                           long staleDrainMillis, long connects, Map<TransportException.Kind, Long> errors,
                           String lastError) {
    public StreamStatus {
        errors = Map.copyOf(errors);
    }

    /** Return the total number of failures of every kind. */
    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
