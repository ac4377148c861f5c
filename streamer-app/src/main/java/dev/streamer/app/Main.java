package dev.streamer.app;

import dev.streamer.app.cli.StreamerCommand;

/** Entry point of {@code bin/streamer}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code = StreamerCommand.execute(args, System.out, System.err, System.getenv());
        System.exit(code);
    }
}
