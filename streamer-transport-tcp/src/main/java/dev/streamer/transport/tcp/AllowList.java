package dev.streamer.transport.tcp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Who may connect in server mode: IP addresses and CIDR ranges of either family; empty lets
 * everyone in.
 *
 * <p>A dual-stack listener may report an IPv4 client as IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}).
 * The original streamer compared that against its IPv4 rules, which never match across families,
 * and so rejected every IPv4 client; here a mapped address is unwrapped to IPv4 before matching,
 * and a mapped rule ({@code ::ffff:10.0.0.0/104}) is an IPv4 rule.
 */
final class AllowList {

    private static final String EXAMPLES = "such as 192.168.1.20, 192.168.1.0/24, fd00::/64 or ::1";

    private final List<Rule> rules;

    private AllowList(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * Parse entries; each may hold several rules separated by commas or white space.
     *
     * @throws IllegalArgumentException naming the rule that is neither an address nor a CIDR range
     */
    static AllowList parse(List<String> entries) {
        List<Rule> rules = new ArrayList<>();
        for (String entry : entries) {
            if (entry == null) {
                throw new IllegalArgumentException("allow contains null: give IP addresses and CIDR ranges " + EXAMPLES);
            }
            for (String token : entry.split("[,\\s]+")) {
                if (!token.isEmpty()) {
                    rules.add(Rule.parse(token));
                }
            }
        }
        return new AllowList(rules);
    }

    /** Return whether everyone may connect. */
    boolean allowsEveryone() {
        return rules.isEmpty();
    }

    /** Return whether {@code peer} may connect; an IPv4-mapped IPv6 address counts as its IPv4 address. */
    boolean permits(InetAddress peer) {
        if (rules.isEmpty()) {
            return true;
        }
        byte[] address = unmapped(peer).getAddress();
        for (Rule rule : rules) {
            if (rule.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Return {@code address} as IPv4 if it is IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}), else itself. */
    static InetAddress unmapped(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] bytes = v6.getAddress();
            if (isMapped(bytes)) {
                byte[] v4 = {bytes[12], bytes[13], bytes[14], bytes[15]};
                try {
                    return InetAddress.getByAddress(v4);
                } catch (java.net.UnknownHostException e) {
                    throw new IllegalStateException("4 bytes are always an IPv4 address", e);
                }
            }
        }
        return address;
    }

    private static boolean isMapped(byte[] bytes) {
        if (bytes.length != 16 || bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Return the rules as CIDR ranges, e.g. {@code 127.0.0.1/32, fd00::/64}, or {@code everyone}. */
    @Override
    public String toString() {
        return rules.isEmpty() ? "everyone" : rules.stream().map(Rule::toString).collect(Collectors.joining(", "));
    }

    /** A network of 4 or 16 bytes and how many leading bits of it must match. */
    private record Rule(byte[] network, int prefix) {

        static Rule parse(String token) {
            int slash = token.indexOf('/');
            String addressText = AddressText.unbracketed(slash < 0 ? token : token.substring(0, slash));
            InetAddress address;
            try {
                address = InetAddress.ofLiteral(addressText);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("allow entry \"" + token + "\" is not an IP address or CIDR range " + EXAMPLES);
            }
            // InetAddress.ofLiteral turns "::ffff:10.0.0.1" into IPv4: its prefix counts the 96 bits before
            boolean mappedLiteral = addressText.indexOf(':') >= 0 && address instanceof Inet4Address;
            int bits = address.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                String length = token.substring(slash + 1);
                int max = mappedLiteral ? 128 : bits;
                int min = mappedLiteral ? 96 : 0;
                if (length.isEmpty() || length.length() > 3 || !length.chars().allMatch(c -> c >= '0' && c <= '9')
                        || Integer.parseInt(length) < min || Integer.parseInt(length) > max) {
                    throw new IllegalArgumentException("allow entry \"" + token + "\" has a prefix length outside " + min + ".." + max);
                }
                prefix = Integer.parseInt(length) - (mappedLiteral ? 96 : 0);
            }
            byte[] network = unmapped(address).getAddress();
            // host bits beyond the prefix are ignored: 192.168.1.7/24 is 192.168.1.0/24
            for (int bit = prefix; bit < network.length * 8; bit++) {
                network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            }
            return new Rule(network, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false; // an IPv4 rule never matches IPv6 and back; mapped addresses are unwrapped first
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[whole] & mask) == (network[whole] & mask);
        }

        @Override
        public String toString() {
            try {
                return AddressText.literal(InetAddress.getByAddress(network)) + "/" + prefix;
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Rule rule && rule.prefix == prefix && java.util.Arrays.equals(rule.network, network);
        }

        @Override
        public int hashCode() {
            return 31 * java.util.Arrays.hashCode(network) + prefix;
        }
    }
}
