/** JSON configuration profiles, command-line overrides, and binding of plugin settings. */
package dev.streamer.app.config;
