/**
 * The plugin contract of streamer: audio formats and the source and transport service interfaces.
 *
 * <p>Plugins compile against this module only. It depends on nothing but {@code java.base}, so a
 * plugin author needs nothing else on the module path.
 */
module dev.streamer.api {
    exports dev.streamer.api;
    exports dev.streamer.api.spi;
}
