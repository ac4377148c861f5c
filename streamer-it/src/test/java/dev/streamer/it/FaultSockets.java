package dev.streamer.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** TCP sockets as {@code ss -H -tanp} shows them, with the queues, on this machine or in a network namespace. */
final class FaultSockets {
    private FaultSockets() {
    }

    /** One socket; {@code sendQ} of an established socket is what the kernel holds that the peer has not acknowledged. */
    record Sock(String state, long recvQ, long sendQ, String local, String peer, String process) {
        int localPort() {
            return port(local);
        }

        int peerPort() {
            return port(peer);
        }

        /** The port of {@code 127.0.0.1:4953} or {@code [::1]:4953}; -1 for {@code *}. */
        private static int port(String address) {
            String port = address.substring(address.lastIndexOf(':') + 1);
            return port.chars().allMatch(Character::isDigit) && !port.isEmpty() ? Integer.parseInt(port) : -1;
        }

        boolean halfOpenOrOpen() {
            return state.equals("ESTAB") || state.equals("CLOSE-WAIT");
        }

        @Override
        public String toString() {
            return state + " " + local + " -> " + peer + " recvQ " + recvQ + " sendQ " + sendQ + (process.isEmpty() ? "" : " " + process);
        }
    }

    /** Every TCP socket on this machine. */
    static List<Sock> all() {
        return parse(Peers.run(Duration.ofSeconds(10), "ss", "-H", "-tanp"));
    }

    /** Every TCP socket in the network namespace {@code ns}. */
    static List<Sock> allIn(String ns) {
        return parse(Peers.run(Duration.ofSeconds(10), "ip", "netns", "exec", ns, "ss", "-H", "-tanp"));
    }

    private static List<Sock> parse(Peers.Result ss) {
        if (ss.exitCode() != 0) {
            throw new IllegalStateException("ss failed: " + ss);
        }
        List<Sock> sockets = new ArrayList<>();
        for (String line : ss.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            String[] f = line.split("\\s+", 6);
            sockets.add(new Sock(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), f[3], f[4], f.length > 5 ? f[5] : ""));
        }
        return sockets;
    }

    /** The sender's end of connections to {@code receiverPort} from one of {@code senderPorts}. */
    static List<Sock> senderEnds(List<Sock> all, int receiverPort, Collection<Integer> senderPorts) {
        return all.stream().filter(s -> !s.state().equals("LISTEN") && s.peerPort() == receiverPort
                && senderPorts.contains(s.localPort())).toList();
    }

    /** The receiver's end of the connection from {@code senderPort}. */
    static List<Sock> receiverEnd(List<Sock> all, int receiverPort, int senderPort) {
        return all.stream().filter(s -> !s.state().equals("LISTEN") && s.localPort() == receiverPort && s.peerPort() == senderPort).toList();
    }

    /** Every socket a process with {@code pid} owns (ss shows {@code pid=N,}). */
    static List<Sock> ownedBy(List<Sock> all, long pid) {
        return all.stream().filter(s -> s.process().contains("pid=" + pid + ",")).toList();
    }
}
