/**
 * The {@code streamer} command: reads JSON profiles, assembles an engine from the source and
 * transport plugins found at run time, and shows the stream's state. The only module that knows
 * Jackson and the command-line library.
 */
module dev.streamer.app {
    requires dev.streamer.core;
    requires tools.jackson.databind;
    requires info.picocli;
    requires java.logging;      // System.Logger backend: one-line log format and --debug level
    requires jdk.unsupported;   // sun.misc.Signal: Ctrl-C and SIGTERM stop the stream and exit 0

    opens dev.streamer.app.cli to info.picocli;   // picocli fills annotated fields by reflection
}
