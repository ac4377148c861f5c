package dev.streamer.core;

import java.time.Duration;
import java.util.Locale;

/**
 * What to do while the input is silent.
 *
 * <p>{@link Mode#SEND} (default) keeps sending silence like any audio. {@link Mode#PAUSE} stops
 * writing to the link once every chunk has stayed below {@code thresholdDbfs} (peak level) for
 * {@code after}: the connection stays open (TCP keepalive keeps it alive), and a receiver such as
 * Snapcast sees the stream go idle and can switch to another one. The first chunk above the
 * threshold is sent at once.
 *
 * @param mode send or pause
 * @param after how long the input must stay silent before pausing (default 10 s)
 * @param thresholdDbfs the peak level below which a chunk counts as silent (default -60 dBFS)
 */
public record SilencePolicy(Mode mode, Duration after, double thresholdDbfs) {

    /** Keep sending; pause settings at their defaults. */
    public static final SilencePolicy DEFAULT = new SilencePolicy(Mode.SEND, Duration.ofSeconds(10), -60);

    /** What to do while the input is silent. */
    public enum Mode {
        /** Keep sending. */
        SEND,
        /** Stop writing after a while; resume at once when sound returns. */
        PAUSE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public SilencePolicy {
        if (mode == null) {
            throw new IllegalArgumentException("silence mode is required");
        }
        if (after.isNegative() || after.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("silence time " + after.toSeconds() + " s is outside 0..86400 s");
        }
        if (!(thresholdDbfs >= -120 && thresholdDbfs <= 0)) {
            throw new IllegalArgumentException("silence threshold " + thresholdDbfs + " dBFS is outside -120..0 dBFS");
        }
    }
}
