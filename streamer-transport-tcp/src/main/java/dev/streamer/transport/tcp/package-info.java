/**
 * The {@code tcp} transport, client mode: connects to a receiver and writes raw PCM with a bounded
 * write time, tuned socket options and a graceful close.
 *
 * <p>Only {@link dev.streamer.transport.tcp.TcpTransportProvider} and its settings record are
 * public; the package is opened, not exported, so the application can bind the settings by reflection.
 */
package dev.streamer.transport.tcp;
