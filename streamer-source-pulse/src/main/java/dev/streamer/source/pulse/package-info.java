/**
 * The {@code pulse} source: {@link dev.streamer.source.pulse.PulseSettings settings},
 * {@link dev.streamer.source.pulse.PulseSourceProvider provider},
 * {@link dev.streamer.source.pulse.PulseSource source} (the read loop and how close is made safe),
 * {@link dev.streamer.source.pulse.PulseConnection} (mainloop, context, bounded waits, listing
 * sources) and {@link dev.streamer.source.pulse.LibPulse} (the libpulse functions, linked once).
 */
package dev.streamer.source.pulse;
