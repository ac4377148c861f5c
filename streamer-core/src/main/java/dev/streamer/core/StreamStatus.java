package dev.streamer.core;

import dev.streamer.api.spi.LinkHealth;
import dev.streamer.api.spi.TransportException;
import java.time.Duration;
import java.util.Map;

/**
 * An immutable snapshot of the engine, published to {@link EngineListener#status} about once a
 * second. Amounts of audio are in milliseconds, one unit for everything that was lost; counts of
 * events are never mixed with amounts of audio.
 *
 * @param state where the engine is
 * @param target where audio goes, e.g. {@code tcp://127.0.0.1:4953}
 * @param peer the connected receiver, empty when not connected
 * @param source what is captured, e.g. the device and its format
 * @param preset the network preset the buffering started from
 * @param uptime time since start
 * @param bytesSent payload bytes written to receivers since start
 * @param bitrateKbps payload rate over the last interval, kilobits per second
 * @param buffer the ring: fill, effective capacity and what the adaptive controller did
 * @param losses audio lost, by cause, in milliseconds
 * @param timing send jitter, write latency and stalls
 * @param link what the operating system reports about the connection ({@link LinkHealth#UNKNOWN}
 *     when not connected or not reported)
 * @param quality the last quality rating (every 5 s while connected)
 * @param input the input level and the silence policy
 * @param sender whether the sender thread is alive, and the thread priority applied
 * @param connects successful connections since start
 * @param errors failures counted by kind
 * @param lastError the last failure in words, empty if none
 */
public record StreamStatus(StreamState state, String target, String peer, String source, String preset, Duration uptime,
                           long bytesSent, double bitrateKbps, Buffer buffer, Losses losses, Timing timing, LinkHealth link,
                           Quality quality, Input input, Sender sender, long connects,
                           Map<TransportException.Kind, Long> errors, String lastError) {
    public StreamStatus {
        errors = Map.copyOf(errors);
    }

    /**
     * The ring buffer.
     *
     * @param bufferedMillis audio waiting in the ring now
     * @param capacityMillis the effective capacity now (how long a stall is absorbed)
     * @param minMillis the adaptive range's minimum
     * @param maxMillis the adaptive range's maximum (the memory allocated)
     * @param latencyTargetMillis the standing backlog beyond which the oldest audio is dropped
     * @param resizes how many times the adaptive controller changed the capacity
     * @param lastResize why it last did, empty if never
     */
    public record Buffer(long bufferedMillis, long capacityMillis, long minMillis, long maxMillis, long latencyTargetMillis,
                         int resizes, String lastResize) {
        /** Return the fill as a percentage of the effective capacity. */
        public double fillPercent() {
            return capacityMillis == 0 ? 0 : 100.0 * bufferedMillis / capacityMillis;
        }
    }

    /**
     * Audio lost, by cause, in milliseconds.
     *
     * @param deviceOverrunMillis discarded by the device because capture fell behind
     * @param ringOverflowMillis newest audio dropped because the ring was full (the sender was stuck)
     * @param latencyDropMillis oldest audio dropped while connected because a standing backlog
     *     exceeded the latency target
     * @param staleDrainMillis discarded while disconnected, so the receiver never gets stale audio
     * @param underrunMillis time the sender starved for audio while connected, beyond two chunk
     *     durations of waiting: audio that came late from the source, not audio lost
     */
    public record Losses(long deviceOverrunMillis, long ringOverflowMillis, long latencyDropMillis, long staleDrainMillis,
                         long underrunMillis) {
        /**
         * Return the audio thrown away while the stream ran: device overruns, ring overflow and
         * standing-backlog drops (not the stale audio drained while disconnected, nor underruns).
         */
        public long lostMillis() {
            return deviceOverrunMillis + ringOverflowMillis + latencyDropMillis;
        }
    }

    /**
     * Timing of the writes.
     *
     * @param jitterMillis send jitter: smoothed deviation of the interval between two writes from
     *     the chunk duration (RFC 3550 style, gain 1/16)
     * @param writeMeanMillis mean time inside a link write over the last 100 writes
     * @param writeP95Millis its 95th percentile
     * @param writeMaxMillis its maximum
     * @param writeSamples writes in that window (up to 100)
     * @param stalls writes that took longer than the stall threshold, since start
     * @param stallMillis time spent in those writes
     * @param senderLatencyP50Millis the latency streamer adds: from the capture read that delivered a
     *     chunk's oldest byte to the end of the chunk's write, median over the last 4096 chunks sent
     * @param senderLatencyP99Millis its 99th percentile
     * @param senderLatencyMaxMillis its maximum
     */
    public record Timing(double jitterMillis, double writeMeanMillis, double writeP95Millis, double writeMaxMillis,
                         int writeSamples, long stalls, long stallMillis, double senderLatencyP50Millis,
                         double senderLatencyP99Millis, double senderLatencyMaxMillis) {
        /** Return the band of the send jitter. */
        public String jitterBand() {
            return QualityScore.jitterBand(jitterMillis);
        }
    }

    /**
     * The last quality rating.
     *
     * @param score 0-100, or -1 before the first rating
     * @param label {@code Excellent}, {@code Good}, {@code Fair}, {@code Poor}, or {@code n/a}
     * @param ratedAt uptime at the rating
     * @param jitterMillis the network jitter rated: the larger of the send jitter and the RTT variance
     *     averaged over about 5 s
     * @param lostMillis audio lost in the minute before the rating
     * @param retransmits TCP retransmissions in the minute before the rating
     * @param failures link failures in the minute before the rating
     * @param fillPercent the highest ring fill in the 5 s before the rating
     */
    public record Quality(int score, String label, Duration ratedAt, double jitterMillis, long lostMillis, long retransmits,
                          long failures, double fillPercent) {
        /** Not rated yet. */
        public static final Quality NONE = new Quality(-1, "n/a", Duration.ZERO, 0, 0, 0, 0, 0);

        public boolean rated() {
            return score >= 0;
        }
    }

    /**
     * The input level of the last chunk taken from the ring, and the silence policy.
     *
     * @param peakDbfs peak level, dBFS (-120 for digital silence)
     * @param rmsDbfs RMS level, dBFS
     * @param silencePolicy {@code send} or {@code pause}
     * @param paused whether sending is paused because of silence
     * @param silentMillis how long the input has been below the silence threshold
     * @param pausedMillis audio not sent because of the silence policy, since start
     */
    public record Input(double peakDbfs, double rmsDbfs, String silencePolicy, boolean paused, long silentMillis,
                        long pausedMillis) {
    }

    /**
     * The sender thread.
     *
     * @param sinceBeatMillis time since it last showed it was alive
     * @param writeBlockedMillis how long the write in progress has been blocked, 0 if none
     * @param stuck whether the watchdog considers it stuck
     * @param threadPriority the priority asked for and what the OS applied
     */
    public record Sender(long sinceBeatMillis, long writeBlockedMillis, boolean stuck, String threadPriority) {
    }

    /** Return audio waiting in the ring now. */
    public long bufferedMillis() {
        return buffer.bufferedMillis();
    }

    /** Return the ring's effective capacity now. */
    public long ringMillis() {
        return buffer.capacityMillis();
    }

    public long deviceOverrunMillis() {
        return losses.deviceOverrunMillis();
    }

    public long ringOverflowMillis() {
        return losses.ringOverflowMillis();
    }

    public long latencyDropMillis() {
        return losses.latencyDropMillis();
    }

    public long staleDrainMillis() {
        return losses.staleDrainMillis();
    }

    /** Return the total number of failures of every kind. */
    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
