package dev.streamer.api.spi;

/**
 * What the operating system reports about a connection, where it reports it (Linux TCP_INFO).
 * Every field is -1 when unknown.
 *
 * @param rttMicros smoothed round-trip time
 * @param rttVarianceMicros its mean deviation
 * @param retransmits segments retransmitted since the connection opened
 * @param unackedBytes bytes sent but not yet acknowledged by the receiver
 * @param notSentBytes bytes written by us but still waiting in the kernel to be sent
 */
public record LinkHealth(long rttMicros, long rttVarianceMicros, long retransmits, long unackedBytes, long notSentBytes) {

    /** Nothing known. */
    public static final LinkHealth UNKNOWN = new LinkHealth(-1, -1, -1, -1, -1);

    /** Return whether the round-trip time is known. */
    public boolean hasRtt() {
        return rttMicros >= 0;
    }
}
