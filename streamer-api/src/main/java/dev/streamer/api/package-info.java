/** Audio format and device descriptions shared by the engine and every plugin. */
package dev.streamer.api;
