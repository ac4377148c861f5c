package dev.streamer.source.javasound;

/**
 * Settings of the {@code file} source.
 *
 * @param path the audio file to play: WAV, AIFF or AU with PCM, µ-law or A-law samples. Required,
 *     but checked when the source opens, so that the error can say what is wrong with the file;
 *     {@code ""} means not given
 * @param loop start again at the beginning at the end of the file, instead of ending the stream
 * @param realTime deliver the audio at its own pace, as a capture device would (the default);
 *     {@code false} reads as fast as the engine asks, for tests and tools: with a network
 *     transport the engine then drops what exceeds its latency target
 */
public record FileSettings(String path, boolean loop, boolean realTime) {

    /** No file yet, played once, in real time. */
    public static final FileSettings DEFAULTS = new FileSettings("", false, true);

    public FileSettings {
        if (path == null) {
            throw new IllegalArgumentException("path is required: the audio file to play (WAV, AIFF or AU), "
                    + "e.g. --set source.path=/music/track.wav");
        }
        if (!path.equals(path.strip())) {
            throw new IllegalArgumentException("path \"" + path + "\" has leading or trailing spaces; write the path without them");
        }
    }
}
