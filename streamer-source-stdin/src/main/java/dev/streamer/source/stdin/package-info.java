/**
 * The {@code stdin} source: {@link dev.streamer.source.stdin.StdinSettings settings} that describe
 * the raw format, and a {@link dev.streamer.source.stdin.StdinSource source} whose reader thread
 * pumps standard input into a small ring, so that reads stay bounded and close is immediate.
 */
package dev.streamer.source.stdin;
