package dev.streamer.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressTextTests {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, 127.0.0.1",
        "0:0:0:0:0:0:0:1, ::1",
        "0:0:0:0:0:0:0:0, ::",
        "2001:db8:0:0:0:0:0:42, 2001:db8::42",
        "1:0:0:0:0:0:0:0, 1::",
        "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:0db8:0001:0002:0003:0004:0005:0006, 2001:db8:1:2:3:4:5:6",
        "fe80:0:0:0:0:0:0:1%2, fe80::1%2",
    })
    void addressesArePrintedCompressed(String address, String literal) {
        assertThat(AddressText.literal(InetAddress.ofLiteral(address))).isEqualTo(literal);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1 | 127.0.0.1:4953",
        "::1 | [::1]:4953",
        "[::1] | [::1]:4953",
        "snap.local | snap.local:4953",
    })
    void authoritiesPutIpv6InBrackets(String host, String authority) {
        assertThat(AddressText.authority(host, 4953)).isEqualTo(authority);
    }
}
