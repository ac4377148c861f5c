package dev.streamer.api.spi;

import java.io.Serial;
import java.util.Objects;

/** A transport failure of a known {@link Kind}, so the engine can count and react without parsing messages. */
public class TransportException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** The receiver's host name did not resolve. */
        RESOLVE("name resolution failed"),
        /** The receiver actively refused the connection. */
        REFUSED("connection refused"),
        /** No answer within the connect timeout. */
        CONNECT_TIMEOUT("connect timeout"),
        /** No route to the network or host. */
        UNREACHABLE("unreachable"),
        /** The receiver stopped reading and the write deadline passed. */
        WRITE_TIMEOUT("write timeout"),
        /** The receiver closed the connection (FIN, broken pipe). */
        CLOSED_BY_PEER("closed by peer"),
        /** The receiver reset the connection. */
        RESET("connection reset"),
        /** A local address could not be bound. */
        BIND("bind failed"),
        /** Anything else; the message says what. */
        OTHER("I/O error");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** Return a short human label, e.g. {@code write timeout}. */
        public String label() {
            return label;
        }
    }

    private final Kind kind;

    public TransportException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public TransportException(Kind kind, String message) {
        this(kind, message, null);
    }

    /** Return what went wrong. */
    public Kind kind() {
        return kind;
    }
}
