/** The engine's public face: {@link dev.streamer.core.Engine}, its configuration, state and status, and plugin discovery. */
package dev.streamer.core;
