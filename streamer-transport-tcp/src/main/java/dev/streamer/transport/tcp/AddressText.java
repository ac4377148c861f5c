package dev.streamer.transport.tcp;

import java.net.Inet6Address;
import java.net.InetAddress;

/** How addresses appear in targets, peers and messages: IPv6 compressed and in brackets. */
final class AddressText {

    private AddressText() {
    }

    /** Return {@code host} without the brackets an IPv6 literal may be written with. */
    static String unbracketed(String host) {
        return host.length() >= 2 && host.startsWith("[") && host.endsWith("]")
                ? host.substring(1, host.length() - 1)
                : host;
    }

    /** Return {@code host:port}, with an IPv6 literal in brackets: {@code [::1]:4953}. */
    static String authority(String host, int port) {
        String bare = unbracketed(host);
        return (bare.indexOf(':') >= 0 ? "[" + bare + "]" : bare) + ":" + port;
    }

    /** Return the address as {@code 127.0.0.1} or {@code ::1}; the JDK would print {@code 0:0:0:0:0:0:0:1}. */
    static String literal(InetAddress address) {
        if (!(address instanceof Inet6Address v6)) {
            return address.getHostAddress();
        }
        byte[] bytes = v6.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        // RFC 5952: the longest run of two or more zero groups (the first one on a tie) becomes "::".
        int runStart = -1;
        int runLength = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > runLength && j - i >= 2) {
                runStart = i;
                runLength = j - i;
            }
            i = j;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == runStart) {
                text.append("::");
                i += runLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        if (v6.getScopedInterface() != null) {
            text.append('%').append(v6.getScopedInterface().getName());
        } else if (v6.getScopeId() != 0) {
            text.append('%').append(v6.getScopeId());
        }
        return text.toString();
    }

    /** Return the address and port as {@code 127.0.0.1:4953} or {@code [::1]:4953}. */
    static String authority(InetAddress address, int port) {
        return authority(literal(address), port);
    }
}
