package dev.streamer.transport.tcp;

/** Builds {@link TcpSettings} from the provider's defaults, changing only what a test cares about. */
final class SettingsBuilder {
    private String host;
    private int port;
    private int connectTimeoutMillis;
    private int writeTimeoutMillis;
    private int sendBufferBytes;
    private boolean keepAlive;
    private int keepAliveIdleSeconds;
    private int keepAliveIntervalSeconds;
    private int keepAliveCount;
    private String dscp;
    private boolean noDelay;
    private String mode;
    private String listenAddress;
    private int maxClients;
    private java.util.List<String> allow;

    private SettingsBuilder(TcpSettings from) {
        host = from.host();
        port = from.port();
        connectTimeoutMillis = from.connectTimeoutMillis();
        writeTimeoutMillis = from.writeTimeoutMillis();
        sendBufferBytes = from.sendBufferBytes();
        keepAlive = from.keepAlive();
        keepAliveIdleSeconds = from.keepAliveIdleSeconds();
        keepAliveIntervalSeconds = from.keepAliveIntervalSeconds();
        keepAliveCount = from.keepAliveCount();
        dscp = from.dscp();
        noDelay = from.noDelay();
        mode = from.mode();
        listenAddress = from.listenAddress();
        maxClients = from.maxClients();
        allow = from.allow();
    }

    static SettingsBuilder defaults() {
        return new SettingsBuilder(new TcpTransportProvider().defaultSettings());
    }

    SettingsBuilder host(String value) { host = value; return this; }
    SettingsBuilder port(int value) { port = value; return this; }
    SettingsBuilder connectTimeoutMillis(int value) { connectTimeoutMillis = value; return this; }
    SettingsBuilder writeTimeoutMillis(int value) { writeTimeoutMillis = value; return this; }
    SettingsBuilder sendBufferBytes(int value) { sendBufferBytes = value; return this; }
    SettingsBuilder keepAlive(boolean value) { keepAlive = value; return this; }
    SettingsBuilder keepAliveIdleSeconds(int value) { keepAliveIdleSeconds = value; return this; }
    SettingsBuilder keepAliveIntervalSeconds(int value) { keepAliveIntervalSeconds = value; return this; }
    SettingsBuilder keepAliveCount(int value) { keepAliveCount = value; return this; }
    SettingsBuilder dscp(String value) { dscp = value; return this; }
    SettingsBuilder noDelay(boolean value) { noDelay = value; return this; }
    SettingsBuilder mode(String value) { mode = value; return this; }
    SettingsBuilder listenAddress(String value) { listenAddress = value; return this; }
    SettingsBuilder maxClients(int value) { maxClients = value; return this; }
    SettingsBuilder allow(java.util.List<String> value) { allow = value; return this; }
    SettingsBuilder allow(String... value) { allow = java.util.List.of(value); return this; }
    /** Server mode, listening on {@code listen}. */
    SettingsBuilder server(String listen) { mode = "server"; listenAddress = listen; return this; }

    TcpSettings build() {
        return new TcpSettings(host, port, connectTimeoutMillis, writeTimeoutMillis, sendBufferBytes, keepAlive,
                keepAliveIdleSeconds, keepAliveIntervalSeconds, keepAliveCount, dscp, noDelay, mode, listenAddress, maxClients, allow);
    }

    /** Build and create a transport that logs under the test's name. */
    TcpTransport transport() {
        return new TcpTransport(build(), dev.streamer.api.spi.PluginContext.system("streamer.test.tcp"));
    }

    /** Build and create a server-mode transport that logs under the test's name. */
    TcpServerTransport serverTransport() {
        return new TcpServerTransport(build(), dev.streamer.api.spi.PluginContext.system("streamer.test.tcp.server"));
    }
}
