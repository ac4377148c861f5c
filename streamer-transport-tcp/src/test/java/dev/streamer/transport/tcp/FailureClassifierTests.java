package dev.streamer.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamer.api.spi.TransportException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The mapping of the JDK's exceptions, with the messages Linux, macOS and Windows give them, to
 * kinds; the kinds a loopback test cannot provoke (unreachable) are covered only here.
 */
class FailureClassifierTests {

    static Stream<Arguments> connectFailures() {
        return Stream.of(
                Arguments.of(new UnknownHostException("snap.local"), Kind.RESOLVE),
                Arguments.of(new ConnectException("Connection refused"), Kind.REFUSED),
                Arguments.of(new ConnectException("Connection refused: connect"), Kind.REFUSED),
                Arguments.of(new ConnectException(), Kind.REFUSED),
                Arguments.of(new ConnectException("Connection timed out"), Kind.CONNECT_TIMEOUT),
                Arguments.of(new SocketTimeoutException("Connect timed out"), Kind.CONNECT_TIMEOUT),
                Arguments.of(new NoRouteToHostException("No route to host"), Kind.UNREACHABLE),
                Arguments.of(new SocketException("Network is unreachable"), Kind.UNREACHABLE),
                Arguments.of(new SocketException("Host is unreachable"), Kind.UNREACHABLE),
                Arguments.of(new SocketException("Connection reset"), Kind.RESET),
                Arguments.of(new SocketException("Protocol family unavailable"), Kind.OTHER),
                Arguments.of(new IOException(), Kind.OTHER));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("connectFailures")
    void connectFailuresAreClassified(IOException failure, Kind kind) {
        assertThat(FailureClassifier.duringConnect(failure)).isEqualTo(kind);
    }

    static Stream<Arguments> writeFailures() {
        return Stream.of(
                Arguments.of(new SocketException("Broken pipe"), Kind.CLOSED_BY_PEER),
                Arguments.of(new IOException("Broken pipe"), Kind.CLOSED_BY_PEER),
                Arguments.of(new SocketException("Connection reset"), Kind.RESET),
                Arguments.of(new SocketException("Connection reset by peer"), Kind.RESET),
                Arguments.of(new IOException("An existing connection was forcibly closed by the remote host"), Kind.RESET),
                Arguments.of(new IOException("An established connection was aborted by the software in your host machine"),
                        Kind.CLOSED_BY_PEER),
                Arguments.of(new SocketException("Socket is not connected"), Kind.CLOSED_BY_PEER),
                Arguments.of(new NoRouteToHostException("No route to host"), Kind.UNREACHABLE),
                Arguments.of(new SocketException("Network is unreachable"), Kind.UNREACHABLE),
                Arguments.of(new SocketException("Connection timed out"), Kind.UNREACHABLE),
                Arguments.of(new ClosedChannelException(), Kind.OTHER),
                Arguments.of(new AsynchronousCloseException(), Kind.OTHER),
                Arguments.of(new IOException("No buffer space available"), Kind.OTHER));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("writeFailures")
    void writeFailuresAreClassified(IOException failure, Kind kind) {
        assertThat(FailureClassifier.duringWrite(failure)).isEqualTo(kind);
    }

    @Test
    void aTimeoutWhileConnectingIsNotOneWhileWriting() {
        SocketException timedOut = new SocketException("Connection timed out");

        assertThat(FailureClassifier.duringConnect(timedOut)).isEqualTo(Kind.CONNECT_TIMEOUT);
        assertThat(FailureClassifier.duringWrite(timedOut)).isEqualTo(Kind.UNREACHABLE);
    }
}
