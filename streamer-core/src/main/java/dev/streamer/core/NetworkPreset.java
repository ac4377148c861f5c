package dev.streamer.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Starting points for the buffering numbers, by kind of network. Every value can be overridden
 * (built-in defaults, then the preset, then the profile, then the command line).
 *
 * <ul>
 *   <li><b>ring</b> ({@link EngineConfig#ringMillis()}): the effective ring capacity at start, i.e. how
 *       long a network stall is absorbed without losing audio; the adaptive controller then moves
 *       it within the <b>adaptive range</b>. The ring's memory is allocated once at the range's
 *       maximum.
 *   <li><b>chunk</b>: frames per network write (512 frames = 10.7 ms at 48 kHz).
 *   <li><b>latency target</b>: the standing backlog beyond which the oldest audio is dropped to
 *       catch up (counted), and the most audio kept while disconnected. It is about two chunks,
 *       one capture burst and the network's usual hiccup: Ethernet 60 ms (stays under the 125 ms at
 *       which late audio becomes noticeable against a picture); WiFi 150 ms (covers a 102.4 ms
 *       beacon interval of a dozing access point plus two 21 ms chunks); poor WiFi 300 ms (several
 *       beacon intervals or link-layer retries, and two 43 ms chunks).
 *   <li><b>jitter band</b>: the network jitter the preset expects (the upper bound of its band:
 *       Ethernet excellent, below 5 ms; WiFi good, 5-15 ms; poor WiFi fair, 15-50 ms). More than
 *       that makes the adaptive controller grow the ring.
 * </ul>
 *
 * <p>{@link #CUSTOM} is the built-in defaults (the Ethernet numbers): pick it to say that every
 * value comes from the profile or the flags.
 */
public enum NetworkPreset {
    /** A wired LAN: small chunks, a 2 s ring that may grow to 6 s, 60 ms latency target. */
    ETHERNET(2000, 512, 2000, 6000, 60, 5),
    /** Typical WiFi: 4 s ring (3-10 s), 1024-frame chunks, 150 ms latency target. */
    WIFI(4000, 1024, 3000, 10_000, 150, 15),
    /** WiFi with a poor signal: 8 s ring (5-15 s), 2048-frame chunks, 300 ms latency target. */
    WIFI_POOR(8000, 2048, 5000, 15_000, 300, 50),
    /** The built-in defaults; every value from the profile or the flags. */
    CUSTOM(2000, 512, 2000, 6000, 60, 5);

    /** The preset used when none is named. */
    public static final NetworkPreset DEFAULT = ETHERNET;

    private final int ringMillis;
    private final int chunkFrames;
    private final int adaptiveMinMillis;
    private final int adaptiveMaxMillis;
    private final int latencyTargetMillis;
    private final int jitterBandMillis;

    NetworkPreset(int ringMillis, int chunkFrames, int adaptiveMinMillis, int adaptiveMaxMillis, int latencyTargetMillis,
                  int jitterBandMillis) {
        this.ringMillis = ringMillis;
        this.chunkFrames = chunkFrames;
        this.adaptiveMinMillis = adaptiveMinMillis;
        this.adaptiveMaxMillis = adaptiveMaxMillis;
        this.latencyTargetMillis = latencyTargetMillis;
        this.jitterBandMillis = jitterBandMillis;
    }

    /** Return the name used in profiles and on the command line, e.g. {@code wifi-poor}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Return the preset called {@code label} ({@code ethernet}, {@code wifi}, {@code wifi-poor}, {@code custom}). */
    public static Optional<NetworkPreset> byLabel(String label) {
        return Arrays.stream(values()).filter(p -> p.label().equals(label)).findFirst();
    }

    public int ringMillis() {
        return ringMillis;
    }

    public int chunkFrames() {
        return chunkFrames;
    }

    public int adaptiveMinMillis() {
        return adaptiveMinMillis;
    }

    public int adaptiveMaxMillis() {
        return adaptiveMaxMillis;
    }

    public int latencyTargetMillis() {
        return latencyTargetMillis;
    }

    public int jitterBandMillis() {
        return jitterBandMillis;
    }
}
