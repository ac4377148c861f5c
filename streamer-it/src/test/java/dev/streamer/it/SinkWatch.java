package dev.streamer.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Watches who plays into the null sink {@value Peers#SINK} while a test plays its own audio there.
 *
 * <p>The sink is shared by everything on this machine (the source plugin's tests play tones into
 * it too), and PulseAudio mixes: another player during a measurement changes the bytes that
 * streamer captures, and its tone adds to ours. Such a run proves nothing either way, so the test
 * runs again ({@link #retryWhileDisturbed}); only the players this JVM started are its own.
 */
final class SinkWatch implements AutoCloseable {
    /** pacat processes started by this JVM ({@link PulsePlayer}). */
    static final Set<Long> OWN_PIDS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final String sinkIndex;
    private final Set<String> foreign = new LinkedHashSet<>();
    private final Thread thread;
    private volatile boolean running = true;

    private SinkWatch(String sinkIndex) {
        this.sinkIndex = sinkIndex;
        this.thread = Thread.ofVirtual().name("sink-watch").start(() -> {
            while (running) {
                try {
                    List<String> now = foreignPlayers(this.sinkIndex);
                    synchronized (foreign) {
                        foreign.addAll(now);
                    }
                } catch (RuntimeException | AssertionError e) {
                    // pactl hiccup: look again
                }
                Poll.pause(100);
            }
        });
    }

    static SinkWatch start() {
        return new SinkWatch(sinkIndex());
    }

    /** Return the other processes seen playing into the sink so far, e.g. {@code java (pid 42)}. */
    List<String> foreign() {
        synchronized (foreign) {
            return List.copyOf(foreign);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // one last look: what played until the very end counts too
        List<String> now = foreignPlayers(sinkIndex);
        synchronized (foreign) {
            foreign.addAll(now);
        }
    }

    /** One run of a test's audio part. */
    interface Attempt {
        void run() throws Exception;
    }

    /**
     * Run {@code attempt} until one runs with nobody else playing into the sink. An attempt that
     * fails while others played is not a verdict on streamer and is retried; one that fails
     * undisturbed is. When every attempt was disturbed the peer is {@link Peers#unavailable busy}.
     */
    static void retryWhileDisturbed(String what, int attempts, Attempt attempt) throws Exception {
        List<String> seen = new ArrayList<>();
        for (int i = 1; i <= attempts; i++) {
            // start in a quiet sink if it becomes quiet soon; if not, the attempt will tell
            Poll.within(Duration.ofSeconds(10), () -> foreignPlayers(sinkIndex()).isEmpty());
            Throwable failure = null;
            SinkWatch watch = start();
            try {
                attempt.run();
            } catch (Exception | AssertionError e) {
                failure = e;
            } finally {
                watch.close();
            }
            List<String> others = watch.foreign();
            if (others.isEmpty()) {
                if (failure instanceof Exception e) {
                    throw e;
                }
                if (failure instanceof Error e) {
                    throw e;
                }
                return;
            }
            seen.addAll(others);
            System.out.printf("[%s] attempt %d of %d disturbed: %s also played into %s%s%n", what, i, attempts, others, Peers.SINK,
                    failure == null ? "" : "; it failed with: " + failure.toString().lines().findFirst().orElse(""));
        }
        Peers.unavailable("other processes played into " + Peers.SINK + " during all " + attempts + " attempts of " + what + ": "
                + new LinkedHashSet<>(seen));
    }

    private static String sinkIndex() {
        Peers.Result sinks = Peers.run(Duration.ofSeconds(10), "pactl", "list", "short", "sinks");
        return sinks.stdout().lines().map(line -> line.split("\\s+")).filter(f -> f.length > 1 && f[1].equals(Peers.SINK))
                .map(f -> f[0]).findFirst().orElseThrow(() -> new IllegalStateException("no sink " + Peers.SINK + ": " + sinks));
    }

    /** Return the playback streams into the sink of processes other than this JVM's players. */
    static List<String> foreignPlayers(String sinkIndex) {
        Peers.Result inputs = Peers.run(Duration.ofSeconds(10), "pactl", "list", "sink-inputs");
        List<String> players = new ArrayList<>();
        for (String block : inputs.stdout().split("Sink Input #")) {
            String pid = property(block, "application.process.id");
            String sink = null;
            for (String line : block.split("\n")) {
                if (line.strip().startsWith("Sink: ")) {
                    sink = line.strip().substring("Sink: ".length()).strip();
                }
            }
            // the module-loopback of the peers has no process: it is part of the setup
            if (pid != null && sinkIndex.equals(sink) && !OWN_PIDS.contains(Long.parseLong(pid))) {
                players.add(property(block, "application.name") + " (pid " + pid + ")");
            }
        }
        return players;
    }

    private static String property(String block, String key) {
        for (String line : block.split("\n")) {
            String t = line.strip();
            if (t.startsWith(key + " = \"") && t.endsWith("\"")) {
                return t.substring(key.length() + 4, t.length() - 1);
            }
        }
        return null;
    }
}
