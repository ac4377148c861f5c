/**
 * The {@code signal} source plugin: a test-signal generator (sine, logarithmic sweep, white and
 * pink noise, silence, a click train) in any PCM format, paced in real time. It needs no sound
 * card, so it proves a whole streaming chain byte for byte; it is also the reference example for
 * plugin authors, and this page is the guide.
 *
 * <h2>Writing a source plugin</h2>
 *
 * <ol>
 *   <li><b>A module that needs only the API.</b> {@code requires dev.streamer.api}, exports
 *       nothing, {@code provides dev.streamer.api.spi.SourceProvider with} your provider, and
 *       {@code opens} the package of the settings record: the application binds the plugin's part
 *       of the configuration ({@code "source": {...}} in a profile, {@code --set source.KEY=VALUE}
 *       on the command line) to that record by reflection. Add the same provider to
 *       {@code META-INF/services/dev.streamer.api.spi.SourceProvider} so the jar also works on
 *       the class path.</li>
 *   <li><b>A settings record</b> ({@link dev.streamer.source.signal.SignalSettings}): one component
 *       per setting, of type {@code String}, {@code int}, {@code long}, {@code double} or
 *       {@code boolean}; a constant with the defaults; a canonical constructor that rejects every
 *       bad value with an {@link IllegalArgumentException} whose message names the setting, the
 *       value found and what is valid. The user sees that message as it is.</li>
 *   <li><b>A provider</b> ({@link dev.streamer.source.signal.SignalSourceProvider}): a public
 *       no-argument constructor, a unique lower-case {@code name()} (the {@code streamer-} prefix
 *       is reserved), a one-line description, the settings type and defaults, the devices it can
 *       open, and {@code create}, which only stores the settings: nothing is opened until
 *       {@code Source.open}.</li>
 *   <li><b>A source</b> ({@link dev.streamer.source.signal.SignalSource}) that honours the
 *       {@link dev.streamer.api.spi.Source} contract: {@code open} reports problems before
 *       streaming starts and returns the format it delivers (the engine converts channels, bits,
 *       byte order and encoding, never the rate); {@code read} runs on one capture thread, blocks
 *       for at most about one period, allocates nothing, returns whole frames, and returns -1 at the
 *       end or after {@code close}; {@code close} is idempotent and may come from any other thread,
 *       so it wakes a waiting {@code read}.</li>
 *   <li><b>Time only from the context.</b> A source that is not paced by hardware paces itself
 *       with a {@link dev.streamer.api.spi.Pacer} on
 *       {@link dev.streamer.api.spi.PluginContext#nanoClock()}: every period is scheduled from the
 *       start time, so it never drifts, and {@code close} stops the pacer, which wakes a waiting
 *       read. Tests pass a fake clock that moves when the pacer waits, and never sleep.</li>
 * </ol>
 *
 * Build the jar against {@code streamer-api} only and put the module where the application finds
 * plugins (linked into the runtime image, or a plugin directory); {@code streamer plugins} lists
 * it with the module and location it came from.
 *
 * @provides dev.streamer.api.spi.SourceProvider the {@code signal} source
 */
module dev.streamer.source.signal {
    requires dev.streamer.api;

    // Not exported: the application binds SignalSettings from JSON by reflection, which needs opens only.
    opens dev.streamer.source.signal;

    provides dev.streamer.api.spi.SourceProvider with dev.streamer.source.signal.SignalSourceProvider;
}
