package dev.streamer.transport.tcp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Asks the kernel, through iproute2's {@code ss}, what it knows about a TCP socket: its state,
 * timers, TOS and buffer sizes. Tests use it to check our sockets independently of our own code.
 */
final class SocketStats {

    private SocketStats() {
    }

    /** Skip the test where {@code ss} is missing. */
    static void assumeAvailable() {
        assumeTrue(isAvailable(), "iproute2's ss is not installed");
    }

    /** Return whether {@code ss} can be run, for tests whose main assertions need no ss. */
    static boolean isAvailable() {
        try {
            return run("-V").contains("iproute2");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Return ss's detailed view of the TCP sockets whose local port is {@code localPort}: timers
     * ({@code -o}), TCP info ({@code -i}), memory ({@code -m}, {@code tb} is the send buffer),
     * extended info ({@code -e}) and the TOS byte or IPv6 traffic class ({@code --tos}).
     */
    static String details(int localPort) throws IOException {
        return run("-H", "-t", "-n", "-o", "-i", "-m", "-e", "--tos", "sport", "=", ":" + localPort);
    }

    /** Return the states (ESTAB, TIME-WAIT, ...) of every TCP socket whose local port is {@code localPort}. */
    static List<String> states(int localPort) throws IOException {
        List<String> states = new ArrayList<>();
        for (String line : run("-H", "-t", "-a", "-n", "sport", "=", ":" + localPort).split("\n")) {
            if (!line.isBlank()) {
                states.add(line.trim().split("\\s+")[0]);
            }
        }
        return states;
    }

    /** Return how many sockets are connecting (SYN-SENT) to {@code remotePort}. */
    static int connecting(int remotePort) throws IOException {
        return (int) run("-H", "-t", "-n", "state", "syn-sent", "dport", "=", ":" + remotePort)
                .lines().filter(line -> !line.isBlank()).count();
    }

    private static String run(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("ss");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("ss " + String.join(" ", args) + " failed: " + output);
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running ss", e);
        } finally {
            process.destroy();
        }
    }
}
