package dev.streamer.api.spi;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What the engine hands a plugin instance when it creates it.
 *
 * @param logger where the plugin logs; the application decides where that goes
 * @param nanoClock monotonic time in nanoseconds ({@code System::nanoTime} in production, a
 *     controllable clock in tests); plugins measure and pace with it, never with wall-clock time
 */
public record PluginContext(System.Logger logger, LongSupplier nanoClock) {
    public PluginContext {
        Objects.requireNonNull(logger, "logger");
        Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** Return a context that logs under {@code loggerName} and uses the system's monotonic clock. */
    public static PluginContext system(String loggerName) {
        return new PluginContext(System.getLogger(loggerName), System::nanoTime);
    }
}
