/**
 * The {@code tcp} transport. Client mode connects to a receiver and writes raw PCM with a bounded
 * write time, tuned socket options and a graceful close; server mode listens and streams to every
 * receiver that connects: raw PCM, or WAV to {@code GET /stream.wav}.
 *
 * <p>Only {@link dev.streamer.transport.tcp.TcpTransportProvider} and its settings record are
 * public; the package is opened, not exported, so the application can bind the settings by reflection.
 */
package dev.streamer.transport.tcp;
