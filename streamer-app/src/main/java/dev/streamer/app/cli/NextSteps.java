package dev.streamer.app.cli;

import java.util.Optional;

/** What to do next, said once when a stream starts on the built-in transport: the first run should explain itself. */
final class NextSteps {
    static final String DEFAULT_CLIENT_TARGET = "tcp://127.0.0.1:4953";

    private NextSteps() {
    }

    /** Return the hint for {@code target} (a transport's {@code target()}), if there is one to give. */
    static Optional<String> forTarget(String target) {
        if (target.startsWith("tcp-server://")) {
            String authority = target.substring("tcp-server://".length());
            int colon = authority.lastIndexOf(':');
            String address = authority.substring(0, colon);
            String port = authority.substring(colon + 1);
            boolean everywhere = address.equals("[::]") || address.equals("0.0.0.0");
            String local = everywhere ? "127.0.0.1" : address;
            String url = "http://" + local + ":" + port + "/stream.wav";
            return Optional.of("listen: open " + url + " in a browser, or run: ffplay -nodisp " + url
                    + (everywhere ? "; from other machines use this machine's address" : "; --serve :: lets other machines in")
                    + ". Ctrl-C stops.");
        }
        if (target.equals(DEFAULT_CLIENT_TARGET)) {
            return Optional.of("sending to a Snapcast TCP source on this machine (port 4953; see the README's Snapcast setup);"
                    + " another machine: --host NAME. No receiver yet? Try: streamer stream --serve, then open"
                    + " http://127.0.0.1:4953/stream.wav");
        }
        return Optional.empty();
    }
}
