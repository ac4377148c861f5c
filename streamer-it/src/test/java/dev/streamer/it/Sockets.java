package dev.streamer.it;

import java.time.Duration;
import java.util.List;

/** TCP sockets of this machine as {@code ss -tan} shows them. */
final class Sockets {
    private Sockets() {
    }

    /**
     * One socket: {@code state} as ss prints it ({@code ESTAB}, {@code CLOSE-WAIT}, {@code FIN-WAIT-2},
     * {@code TIME-WAIT}, ...), addresses as {@code 127.0.0.1:14953}, {@code process} the ss users
     * field (empty when not asked for or orphaned).
     */
    record Socket(String state, String local, String peer, String process) {
        int localPort() {
            return Integer.parseInt(local.substring(local.lastIndexOf(':') + 1));
        }

        int peerPort() {
            return Integer.parseInt(peer.substring(peer.lastIndexOf(':') + 1));
        }

        @Override
        public String toString() {
            return state + " " + local + " -> " + peer + (process.isEmpty() ? "" : " " + process);
        }
    }

    /** Return every TCP socket, with owning processes where ss may show them. */
    static List<Socket> all() {
        Peers.Result ss = Peers.run(Duration.ofSeconds(10), "ss", "-H", "-tanp");
        if (ss.exitCode() != 0) {
            throw new IllegalStateException("ss failed: " + ss);
        }
        return ss.stdout().lines().map(String::strip).filter(line -> !line.isEmpty()).map(line -> {
            String[] f = line.split("\\s+", 6);
            return new Socket(f[0], f[3], f[4], f.length > 5 ? f[5] : "");
        }).toList();
    }

    /** Return the sockets connected to {@code peerPort} (the client side of connections to it). */
    static List<Socket> toPort(int peerPort) {
        return all().stream().filter(s -> !s.state().equals("LISTEN") && s.peerPort() == peerPort).toList();
    }

    /** Return the sockets whose local or peer port is {@code port}, listeners excluded. */
    static List<Socket> involving(int port) {
        return all().stream().filter(s -> !s.state().equals("LISTEN") && (s.peerPort() == port || s.localPort() == port)).toList();
    }
}
