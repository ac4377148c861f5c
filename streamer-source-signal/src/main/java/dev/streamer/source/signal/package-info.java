/**
 * The {@code signal} source: {@link dev.streamer.source.signal.SignalSettings settings},
 * {@link dev.streamer.source.signal.SignalSourceProvider provider},
 * {@link dev.streamer.source.signal.SignalSource source} (pacing and the read contract),
 * {@link dev.streamer.source.signal.Generator} (the waveforms, one sample at a time) and
 * {@link dev.streamer.source.signal.SampleWriter} (a sample into the bytes of any PCM format).
 */
package dev.streamer.source.signal;
