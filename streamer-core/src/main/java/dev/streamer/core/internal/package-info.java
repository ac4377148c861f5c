/** Engine internals: not exported, free to change. */
package dev.streamer.core.internal;
