package dev.streamer.transport.tcp;

import dev.streamer.api.spi.TransportException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * Maps an {@link IOException} to a {@link Kind}.
 *
 * <p>The JDK throws the same {@code SocketException} for a reset, a broken pipe and an unreachable
 * network, so only the operating system's message tells them apart. The phrases below are those
 * of Linux and macOS ({@code strerror}) and of Windows (WSA messages).
 */
final class FailureClassifier {

    private FailureClassifier() {
    }

    /** Classify a failure while resolving or connecting. */
    static Kind duringConnect(IOException failure) {
        if (failure instanceof UnknownHostException) {
            return Kind.RESOLVE;
        }
        if (failure instanceof NoRouteToHostException) {
            return Kind.UNREACHABLE;
        }
        if (failure instanceof SocketTimeoutException) {
            return Kind.CONNECT_TIMEOUT;
        }
        String message = lowerCaseMessage(failure);
        if (message.contains("refused")) {
            return Kind.REFUSED;
        }
        if (message.contains("timed out")) {
            return Kind.CONNECT_TIMEOUT;
        }
        if (isUnreachable(message)) {
            return Kind.UNREACHABLE;
        }
        if (isReset(message)) {
            return Kind.RESET;
        }
        // ConnectException without a known phrase: the JDK uses it for ECONNREFUSED first of all.
        return failure instanceof ConnectException ? Kind.REFUSED : Kind.OTHER;
    }

    /** Classify a failure of a write on an established connection. */
    static Kind duringWrite(IOException failure) {
        if (failure instanceof ClosedChannelException) {
            return Kind.OTHER; // closed on our side (Link.close from another thread), not by the peer
        }
        if (failure instanceof NoRouteToHostException) {
            return Kind.UNREACHABLE;
        }
        String message = lowerCaseMessage(failure);
        if (isReset(message)) {
            return Kind.RESET;
        }
        if (message.contains("broken pipe") || message.contains("connection was aborted")
                || message.contains("not connected") || message.contains("shutdown")) {
            return Kind.CLOSED_BY_PEER;
        }
        // ETIMEDOUT on an established connection: retransmissions or keepalive probes went unanswered.
        if (isUnreachable(message) || message.contains("timed out")) {
            return Kind.UNREACHABLE;
        }
        return Kind.OTHER;
    }

    private static boolean isReset(String message) {
        return message.contains("connection reset") || message.contains("forcibly closed");
    }

    private static boolean isUnreachable(String message) {
        return message.contains("unreachable") || message.contains("no route");
    }

    private static String lowerCaseMessage(IOException failure) {
        String message = failure.getMessage();
        return message == null ? "" : message.toLowerCase(Locale.ROOT);
    }
}
