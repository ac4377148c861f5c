/** Entry point of the {@code streamer} command. */
package dev.streamer.app;
