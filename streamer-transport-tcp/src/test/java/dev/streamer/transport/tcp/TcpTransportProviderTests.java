package dev.streamer.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.TransportException;
import dev.streamer.api.spi.TransportException.Kind;
import dev.streamer.api.spi.TransportProvider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpTransportProviderTests {

    @Test
    void theProviderDescribesTheTcpTransport() {
        TcpTransportProvider provider = new TcpTransportProvider();

        assertThat(provider.name()).isEqualTo("tcp");
        assertThat(provider.description()).isNotBlank();
        assertThat(provider.settingsType()).isEqualTo(TcpSettings.class);
        assertThat(provider.create(provider.defaultSettings(), PluginContext.system("test")).target())
                .isEqualTo("tcp://127.0.0.1:4953");
    }

    @Test
    void theModuleProvidesTheTransportAndExportsNothing() throws IOException {
        Module module = TcpTransportProvider.class.getModule();
        ModuleDescriptor descriptor = module.getDescriptor();

        assertThat(module.isNamed()).isTrue();
        assertThat(descriptor.name()).isEqualTo("dev.streamer.transport.tcp");
        assertThat(descriptor.exports()).isEmpty();
        assertThat(descriptor.opens()).extracting(ModuleDescriptor.Opens::source).containsExactly("dev.streamer.transport.tcp");
        assertThat(descriptor.provides()).singleElement().satisfies(provides -> {
            assertThat(provides.service()).isEqualTo(TransportProvider.class.getName());
            assertThat(provides.providers()).containsExactly(TcpTransportProvider.class.getName());
        });
        // The class-path form, for tools that read META-INF/services.
        try (InputStream services = module.getResourceAsStream("META-INF/services/" + TransportProvider.class.getName())) {
            assertThat(services).isNotNull();
            assertThat(new String(services.readAllBytes(), StandardCharsets.UTF_8).strip())
                    .isEqualTo(TcpTransportProvider.class.getName());
        }
    }

    @Test
    void whenEveryAddressFailsTheMostInformativeFailureIsReportedWithTheCount() {
        InetAddress v6 = InetAddress.ofLiteral("2001:db8::1");
        InetAddress v4 = InetAddress.ofLiteral("192.0.2.1");
        List<TcpTransport.Attempt> attempts = List.of(
                new TcpTransport.Attempt(v6, Kind.UNREACHABLE, "2001:db8::1 is unreachable (Network is unreachable)", null),
                new TcpTransport.Attempt(v4, Kind.CONNECT_TIMEOUT, "192.0.2.1 did not answer within 3000 ms", null));

        TransportException failure = TcpTransport.summarize("tcp://snap.local:4953", attempts);

        assertThat(failure.kind()).isEqualTo(Kind.CONNECT_TIMEOUT);
        assertThat(failure).hasMessage("tcp://snap.local:4953: 192.0.2.1 did not answer within 3000 ms; "
                + "tried 2 addresses: 2001:db8::1 unreachable, 192.0.2.1 connect timeout");
    }

    @Test
    void aRefusalOutranksATimeout() {
        InetAddress first = InetAddress.ofLiteral("192.0.2.1");
        InetAddress second = InetAddress.ofLiteral("192.0.2.2");
        List<TcpTransport.Attempt> attempts = List.of(
                new TcpTransport.Attempt(first, Kind.CONNECT_TIMEOUT, "192.0.2.1 did not answer within 3000 ms", null),
                new TcpTransport.Attempt(second, Kind.REFUSED, "connection refused by 192.0.2.2", null));

        TransportException failure = TcpTransport.summarize("tcp://snap.local:4953", attempts);

        assertThat(failure.kind()).isEqualTo(Kind.REFUSED);
        assertThat(failure).hasMessageStartingWith("tcp://snap.local:4953: connection refused by 192.0.2.2; tried 2 addresses");
    }
}
