/**
 * The {@code stdin} source plugin: raw interleaved PCM from standard input, in the format its
 * settings describe, e.g. {@code parec --raw | streamer stream --source stdin} or an MPD FIFO
 * ({@code streamer stream --source stdin < /tmp/mpd.fifo}).
 *
 * <p>The producer is the clock: a read delivers whatever whole frames have arrived. End of input
 * ends the stream, after everything read so far has been sent.
 *
 * @provides dev.streamer.api.spi.SourceProvider the {@code stdin} source
 */
module dev.streamer.source.stdin {
    requires dev.streamer.api;

    // Not exported: the application binds StdinSettings from JSON by reflection, which needs opens only.
    opens dev.streamer.source.stdin;

    provides dev.streamer.api.spi.SourceProvider with dev.streamer.source.stdin.StdinSourceProvider;
}
