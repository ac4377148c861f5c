/** Showing the engine's state and figures: a live terminal line, log lines or JSON lines. */
package dev.streamer.app.status;
