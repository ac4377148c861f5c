package dev.streamer.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TcpSettingsTests {

    @Test
    void theDefaultsAreThoseOfSnapcastOnThisMachine() {
        TcpSettings defaults = new TcpTransportProvider().defaultSettings();

        assertThat(defaults).isEqualTo(new TcpSettings("127.0.0.1", 4953, 3000, 5000, 0, true, 5, 2, 3, "voip", true,
                "client", "::", 8, java.util.List.of()));
        assertThat(defaults.typeOfService()).isEqualTo(0xB8);
        assertThat(defaults.serverMode()).isFalse();
        assertThat(defaults.allowList().allowsEveryone()).isTrue();
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                invalid(b -> b.host(null), "host is required"),
                invalid(b -> b.host(" "), "host is required"),
                invalid(b -> b.host("snap server"), "host \"snap server\" is not a host name"),
                invalid(b -> b.host("192.168.1.100:4953"), "host \"192.168.1.100:4953\" contains a port"),
                invalid(b -> b.host("snap.local:4953"), "host \"snap.local:4953\" contains a port"),
                invalid(b -> b.host("::g"), "host \"::g\" is not a valid IPv6 address"),
                invalid(b -> b.host("[::1"), "host \"[::1\" is not an IPv6 address in brackets"),
                invalid(b -> b.host("[127.0.0.1]"), "host \"[127.0.0.1]\" is not an IPv6 address in brackets"),
                invalid(b -> b.host("300.1.1.1"), "host \"300.1.1.1\" is not a valid IPv4 address"),
                invalid(b -> b.port(0), "port 0 is outside 1..65535"),
                invalid(b -> b.port(70000), "port 70000 is outside 1..65535"),
                invalid(b -> b.connectTimeoutMillis(0), "connectTimeoutMillis 0 is outside 1..600000"),
                invalid(b -> b.writeTimeoutMillis(-5), "writeTimeoutMillis -5 is outside 1..600000"),
                invalid(b -> b.writeTimeoutMillis(600_001), "writeTimeoutMillis 600001 is outside 1..600000"),
                invalid(b -> b.sendBufferBytes(100), "sendBufferBytes 100 is neither 0 (automatic) nor within 1024..67108864"),
                invalid(b -> b.sendBufferBytes(-1), "sendBufferBytes -1 is neither 0"),
                invalid(b -> b.keepAliveIdleSeconds(0), "keepAliveIdleSeconds 0 is outside 1..32767"),
                invalid(b -> b.keepAliveIntervalSeconds(40_000), "keepAliveIntervalSeconds 40000 is outside 1..32767"),
                invalid(b -> b.keepAliveCount(128), "keepAliveCount 128 is outside 1..127"),
                invalid(b -> b.dscp("fast"), "dscp \"fast\" is not one of voip, lowdelay, throughput, besteffort or a number 0-63"),
                invalid(b -> b.dscp("64"), "dscp \"64\" is not one of"),
                invalid(b -> b.dscp("-1"), "dscp \"-1\" is not one of"),
                invalid(b -> b.dscp(""), "dscp \"\" is not one of"),
                invalid(b -> b.dscp(null), "dscp is required"),
                invalid(b -> b.mode(null), "mode is required: client (connect to host:port) or server (listen on listenAddress:port)"),
                invalid(b -> b.mode("listen"), "mode \"listen\" is not valid: client (connect to host:port) or server"),
                invalid(b -> b.listenAddress(null), "listenAddress is required: an IP address such as :: (every interface, IPv6 and IPv4),"
                        + " 0.0.0.0 (every interface, IPv4 only), 127.0.0.1 or ::1"),
                invalid(b -> b.listenAddress("localhost"), "listenAddress \"localhost\" is not an IP address such as ::"),
                invalid(b -> b.listenAddress("[127.0.0.1]"), "listenAddress \"[127.0.0.1]\" is not an IP address"),
                invalid(b -> b.listenAddress("0.0.0.0:4953"), "listenAddress \"0.0.0.0:4953\" is not an IP address"),
                invalid(b -> b.maxClients(0), "maxClients 0 is outside 1..256"),
                invalid(b -> b.maxClients(257), "maxClients 257 is outside 1..256"),
                invalid(b -> b.allow((java.util.List<String>) null), "allow is required: a list of IP addresses and CIDR ranges, [] for everyone"),
                invalid(b -> b.allow("192.168.1.0/33"), "allow entry \"192.168.1.0/33\" has a prefix length outside 0..32"),
                invalid(b -> b.allow("fd00::/129"), "allow entry \"fd00::/129\" has a prefix length outside 0..128"),
                invalid(b -> b.allow("10.0.0.0/"), "allow entry \"10.0.0.0/\" has a prefix length outside 0..32"),
                invalid(b -> b.allow("::ffff:10.0.0.0/95"), "allow entry \"::ffff:10.0.0.0/95\" has a prefix length outside 96..128"),
                invalid(b -> b.allow("lan"), "allow entry \"lan\" is not an IP address or CIDR range such as 192.168.1.20,"),
                invalid(b -> b.allow("10.0.0.1, 10.0.0.300"), "allow entry \"10.0.0.300\" is not an IP address or CIDR range"));
    }

    private static Arguments invalid(UnaryOperator<SettingsBuilder> change, String message) {
        return Arguments.of(change, message);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidSettings")
    void everyInvalidComponentIsNamedWithWhatIsValid(UnaryOperator<SettingsBuilder> change, String message) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> change.apply(SettingsBuilder.defaults()).build())
                .withMessageStartingWith(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"snap.local", "localhost", "receiver-1.example.org", "my_host", "10.0.0.5", "::1", "[::1]",
        "fe80::1%1", "2001:db8::42", "[2001:db8::42]", "::ffff:10.0.0.5"})
    void hostNamesAndAddressLiteralsAreAccepted(String host) {
        assertThat(SettingsBuilder.defaults().host(host).build().host()).isEqualTo(host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"::", "[::]", "0.0.0.0", "127.0.0.1", "::1", "[::1]", "192.168.1.20", "fe80::1%1"})
    void listenAddressesAreIpLiterals(String address) {
        assertThat(SettingsBuilder.defaults().listenAddress(address).build().listenAddress()).isEqualTo(address);
    }

    @Test
    void serverModeListensWhereItIsToldAndNamesItsTarget() {
        TcpSettings settings = SettingsBuilder.defaults().mode("server").port(4953).maxClients(256)
                .allow("192.168.1.0/24, fd00::/64", "127.0.0.1").build();

        assertThat(settings.serverMode()).isTrue();
        assertThat(settings.allowList()).hasToString("192.168.1.0/24, fd00::/64, 127.0.0.1/32");
        assertThat(new TcpTransportProvider().create(settings, dev.streamer.api.spi.PluginContext.system("test")).target())
                .isEqualTo("tcp-server://[::]:4953");
        assertThat(SettingsBuilder.defaults().server("0.0.0.0").port(5000).serverTransport().target()).isEqualTo("tcp-server://0.0.0.0:5000");
        assertThat(SettingsBuilder.defaults().server("[::1]").port(5000).serverTransport().target()).isEqualTo("tcp-server://[::1]:5000");
    }

    @Test
    void theAllowListIsCopied() {
        java.util.List<String> rules = new java.util.ArrayList<>(java.util.List.of("10.0.0.1"));
        TcpSettings settings = SettingsBuilder.defaults().allow(rules).build();
        rules.add("10.0.0.2");

        assertThat(settings.allow()).containsExactly("10.0.0.1");
    }

    @ParameterizedTest
    @CsvSource({"[::1], ::1", "::1, ::1", "snap.local, snap.local", "10.0.0.5, 10.0.0.5"})
    void theResolverGetsIpv6LiteralsWithoutBrackets(String host, String resolvable) {
        assertThat(SettingsBuilder.defaults().host(host).build().resolvableHost()).isEqualTo(resolvable);
    }

    @ParameterizedTest
    @CsvSource({"voip, 184", "VoIP, 184", "lowdelay, 16", "throughput, 8", "besteffort, 0", "0, 0", "46, 184", "26, 104", "63, 252"})
    void dscpNamesAndNumbersGiveTheTosByte(String dscp, int tos) {
        assertThat(SettingsBuilder.defaults().dscp(dscp).build().typeOfService()).isEqualTo(tos);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"127.0.0.1 | tcp://127.0.0.1:4953", "::1 | tcp://[::1]:4953", "[::1] | tcp://[::1]:4953",
        "snap.local | tcp://snap.local:4953"})
    void theTargetPutsIpv6InBrackets(String host, String target) {
        assertThat(SettingsBuilder.defaults().host(host).transport().target()).isEqualTo(target);
    }
}
