/** One-line log records on standard error for every module's {@code System.Logger}. */
package dev.streamer.app.logging;
