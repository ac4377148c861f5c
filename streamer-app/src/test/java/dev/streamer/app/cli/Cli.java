package dev.streamer.app.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs {@code streamer ARGS} in this JVM, with a given environment, and keeps what it printed. */
record Cli(int exitCode, String stdout, String stderr) {
    /** Run with {@code environment} plus an XDG_CONFIG_HOME of {@code home}, so the user's own file never counts. */
    static Cli run(Path home, Map<String, String> environment, String... args) {
        Map<String, String> env = new HashMap<>(environment);
        env.putIfAbsent("XDG_CONFIG_HOME", home.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = StreamerCommand.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Cli run(Path home, String... args) {
        return run(home, Map.of(), args);
    }
}
