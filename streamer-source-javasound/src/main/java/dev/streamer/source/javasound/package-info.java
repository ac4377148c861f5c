/**
 * The {@code javasound} source: device listing and selection, format negotiation, and a capture
 * loop that reads period-sized chunks from a small device buffer and counts the frames it lost.
 */
package dev.streamer.source.javasound;
