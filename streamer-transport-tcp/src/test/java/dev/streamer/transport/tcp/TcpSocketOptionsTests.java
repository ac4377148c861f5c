package dev.streamer.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.Link;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The options reach the kernel, for IPv4 and IPv6 alike, checked with {@code ss} rather than with
 * our own reading. ss (iproute2 6.1) shows the keepalive timer, the TOS byte ({@code tos:} for
 * IPv4, {@code tclass:} for IPv6) and the send buffer ({@code skmem tb}); it shows neither the
 * keepalive interval and count nor TCP_NODELAY, so those are checked in {@code appliedOptions()},
 * which reads them back with getsockopt.
 */
class TcpSocketOptionsTests {

    private static final Pattern KEEPALIVE_TIMER = Pattern.compile("timer:\\(keepalive,([^,]+),");
    private static final Pattern SEND_BUFFER = Pattern.compile("\\btb(\\d+)\\b");

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"127.0.0.1", "::1"})
    @Timeout(20)
    void theKernelHasTheOptionsWeAskedFor(String address) throws Exception {
        SocketStats.assumeAvailable();
        try (LoopbackReceiver receiver = LoopbackReceiver.on(address)) {
            // Values unlike every default, so that a match proves they were applied.
            Link link = SettingsBuilder.defaults().host(address).port(receiver.port())
                    .keepAliveIdleSeconds(7).keepAliveIntervalSeconds(3).keepAliveCount(4)
                    .dscp("26").sendBufferBytes(12_000).noDelay(true)
                    .transport().open(PcmFormat.DEFAULT_WIRE);
            try {
                String kernel = SocketStats.details(receiver.accept().getPort());

                assertThat(keepAliveTimerMillis(kernel)).isBetween(4_000L, 7_000L); // counts down from the 7 s idle time
                assertThat(kernel).contains((address.contains(":") ? "tclass:" : "tos:") + "0x68"); // DSCP 26 (AF31) << 2
                // Linux doubles the size asked for; the transport asks for half, so the kernel holds the setting.
                assertThat(sendBufferBytes(kernel)).isEqualTo(12_000);
                assertThat(link.appliedOptions()).containsExactly("sndbuf=12000", "keepalive=7s/3s/4", "tos=0x68", "nodelay=true");
            } finally {
                link.close();
            }
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"127.0.0.1", "::1"})
    @Timeout(20)
    void theDefaultsGiveEfAndAboutTwoHundredMillisecondsOfSendBuffer(String address) throws Exception {
        SocketStats.assumeAvailable();
        try (LoopbackReceiver receiver = LoopbackReceiver.on(address)) {
            Link link = SettingsBuilder.defaults().host(address).port(receiver.port()).transport().open(PcmFormat.DEFAULT_WIRE);
            try {
                String kernel = SocketStats.details(receiver.accept().getPort());

                int twoHundredMillis = PcmFormat.DEFAULT_WIRE.bytesForMillis(200); // 38400 bytes
                assertThat(sendBufferBytes(kernel)).isEqualTo(twoHundredMillis);
                assertThat(kernel).contains((address.contains(":") ? "tclass:" : "tos:") + "0xb8");
                assertThat(keepAliveTimerMillis(kernel)).isBetween(2_000L, 5_000L);
                assertThat(link.appliedOptions())
                        .containsExactly("sndbuf=" + twoHundredMillis, "keepalive=5s/2s/3", "tos=0xb8", "nodelay=true");
            } finally {
                link.close();
            }
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"127.0.0.1", "::1"})
    @Timeout(20)
    void keepAliveOffAndBestEffortLeaveTheSocketPlain(String address) throws Exception {
        SocketStats.assumeAvailable();
        try (LoopbackReceiver receiver = LoopbackReceiver.on(address)) {
            Link link = SettingsBuilder.defaults().host(address).port(receiver.port())
                    .keepAlive(false).dscp("besteffort").noDelay(false)
                    .transport().open(PcmFormat.DEFAULT_WIRE);
            try {
                String kernel = SocketStats.details(receiver.accept().getPort());

                assertThat(kernel).doesNotContain("keepalive");
                assertThat(kernel).doesNotContainPattern("(tos|tclass):0x");
                assertThat(link.appliedOptions()).contains("keepalive=off", "tos=0x00", "nodelay=false");
            } finally {
                link.close();
            }
        }
    }

    /** Parse ss's timer, printed as e.g. {@code 6.996ms} (6 s 996 ms), {@code 7sec}, {@code 996ms} or {@code 1min}. */
    private static long keepAliveTimerMillis(String ss) {
        Matcher timer = KEEPALIVE_TIMER.matcher(ss);
        assertThat(timer.find()).as("keepalive timer in %s", ss).isTrue();
        Matcher parts = Pattern.compile("(?:(\\d+)min)?(?:(\\d+)(?:sec|\\.))?(?:(\\d+)ms)?").matcher(timer.group(1));
        assertThat(parts.matches()).as("timer %s", timer.group(1)).isTrue();
        return value(parts.group(1)) * 60_000 + value(parts.group(2)) * 1000 + value(parts.group(3));
    }

    private static long value(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }

    private static int sendBufferBytes(String ss) {
        Matcher tb = SEND_BUFFER.matcher(ss);
        assertThat(tb.find()).as("skmem tb in %s", ss).isTrue();
        return Integer.parseInt(tb.group(1));
    }
}
