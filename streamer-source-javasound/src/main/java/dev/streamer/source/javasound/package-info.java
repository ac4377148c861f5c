/**
 * The {@code javasound} source: device listing and selection, format negotiation, and a capture
 * loop that reads period-sized chunks from a small device buffer and counts the frames it lost;
 * and the {@code file} source ({@link dev.streamer.source.javasound.FileSource}), which plays an
 * audio file through Java Sound's file readers.
 */
package dev.streamer.source.javasound;
