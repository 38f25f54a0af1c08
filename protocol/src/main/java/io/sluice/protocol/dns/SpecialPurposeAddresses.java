package io.sluice.protocol.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses a mail exchanger found in DNS may not have: whoever owns a recipient's zone
 * writes its MX and A/AAAA records, so without this filter an outsider could make Sluice connect
 * into its own network (a database on 10.x, a metadata service on 169.254.169.254).
 *
 * <p>The table is the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890, as updated
 * to 2024): every entry whose "Globally Reachable" column is False or N/A, plus the multicast
 * blocks (224.0.0.0/4, ff00::/8: not unicast, no SMTP server answers there), 240.0.0.0/4 and
 * fec0::/10 (deprecated site-local). Entries marked globally reachable (192.31.196.0/24 AS112,
 * 192.52.193.0/24 AMT, 192.175.48.0/24, 2620:4f:8000::/48) are allowed. Inside 192.0.0.0/24 and
 * 2001::/23 the registry marks a few anycast service addresses (PCP, TURN, DNS-SD SRP, AMT,
 * AS112, ORCHIDv2, DET) globally reachable; none of them runs a mail exchanger, so the whole
 * block is refused rather than carrying those exceptions.
 *
 * <p>Three prefixes embed an IPv4 address, which is judged instead of the prefix: the
 * IPv4-mapped {@code ::ffff:0:0/96}, the NAT64 well-known prefix {@code 64:ff9b::/96} (globally
 * reachable per the registry, but a local NAT64 gateway would translate
 * {@code 64:ff9b::a00:1} to 10.0.0.1) and 6to4 {@code 2002::/16} (deprecated by RFC 7526; its
 * relay would carry {@code 2002:a00:1::} to 10.0.0.1). Teredo (2001::/32) falls in 2001::/23.
 */
public final class SpecialPurposeAddresses {

    /** One registry entry: a prefix and the name the registry gives it. */
    private record Block(byte[] prefix, int bits, String name) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (prefix[full] & mask);
        }
    }

    private static final List<Block> NOT_GLOBAL = List.of(
            block("0.0.0.0/8", "this network (RFC 791)"),
            block("10.0.0.0/8", "private use (RFC 1918)"),
            block("100.64.0.0/10", "shared address space, carrier-grade NAT (RFC 6598)"),
            block("127.0.0.0/8", "loopback (RFC 1122)"),
            block("169.254.0.0/16", "link local (RFC 3927)"),
            block("172.16.0.0/12", "private use (RFC 1918)"),
            block("192.0.0.0/24", "IETF protocol assignments (RFC 6890)"),
            block("192.0.2.0/24", "documentation TEST-NET-1 (RFC 5737)"),
            block("192.88.99.0/24", "deprecated 6to4 relay anycast (RFC 7526)"),
            block("192.168.0.0/16", "private use (RFC 1918)"),
            block("198.18.0.0/15", "benchmarking (RFC 2544)"),
            block("198.51.100.0/24", "documentation TEST-NET-2 (RFC 5737)"),
            block("203.0.113.0/24", "documentation TEST-NET-3 (RFC 5737)"),
            block("224.0.0.0/4", "multicast (RFC 5771)"),
            block("240.0.0.0/4", "reserved (RFC 1112), including limited broadcast"),
            block("::/128", "unspecified address (RFC 4291)"),
            block("::1/128", "loopback (RFC 4291)"),
            block("64:ff9b:1::/48", "local-use IPv4/IPv6 translation (RFC 8215)"),
            block("100::/64", "discard-only (RFC 6666)"),
            block("100:0:0:1::/64", "dummy IPv6 prefix (RFC 9780)"),
            block("2001::/23", "IETF protocol assignments, Teredo, benchmarking (RFC 2928, 4380, 5180)"),
            block("2001:db8::/32", "documentation (RFC 3849)"),
            block("3fff::/20", "documentation (RFC 9637)"),
            block("5f00::/16", "segment routing SIDs (RFC 9602)"),
            block("fc00::/7", "unique local (RFC 4193)"),
            block("fe80::/10", "link-local unicast (RFC 4291)"),
            block("fec0::/10", "deprecated site-local (RFC 3879)"),
            block("ff00::/8", "multicast (RFC 4291)"));

    private static final Block MAPPED = block("::ffff:0:0/96", "IPv4-mapped");
    private static final Block NAT64 = block("64:ff9b::/96", "IPv4/IPv6 translation (RFC 6052)");
    private static final Block SIX_TO_FOUR = block("2002::/16", "6to4 (RFC 3056)");

    private SpecialPurposeAddresses() {
    }

    /** True when mail may be delivered to {@code address}: global unicast by the table above. */
    public static boolean isGlobalUnicast(InetAddress address) {
        return rangeOf(address).isEmpty();
    }

    /** The registry entry that makes {@code address} unfit for delivery, if any. */
    public static Optional<String> rangeOf(InetAddress address) {
        return rangeOf(address.getAddress());
    }

    private static Optional<String> rangeOf(byte[] a) {
        for (Block b : NOT_GLOBAL) {
            if (b.contains(a)) {
                return Optional.of(b.name() + " " + text(b));
            }
        }
        if (MAPPED.contains(a) || NAT64.contains(a)) {
            return embedded(a, 12, a.length == 16 && NAT64.contains(a) ? NAT64 : MAPPED);
        }
        if (SIX_TO_FOUR.contains(a)) {
            return embedded(a, 2, SIX_TO_FOUR);
        }
        return Optional.empty();
    }

    /** Judges the IPv4 address at {@code offset} of an IPv6 address carried by {@code via}. */
    private static Optional<String> embedded(byte[] a, int offset, Block via) {
        byte[] v4 = {a[offset], a[offset + 1], a[offset + 2], a[offset + 3]};
        return rangeOf(v4).map(r -> r + ", reached through " + via.name() + " " + text(via));
    }

    private static String text(Block b) {
        try {
            return InetAddress.getByAddress(b.prefix()).getHostAddress() + "/" + b.bits();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Block block(String cidr, String name) {
        int slash = cidr.indexOf('/');
        try {
            // literals only: getByName does no lookup for them
            byte[] prefix = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            if (cidr.indexOf(':') >= 0 && prefix.length == 4) {
                // ::ffff:0:0 is returned as an IPv4 address; keep the 16-byte form
                byte[] six = new byte[16];
                six[10] = (byte) 0xff;
                six[11] = (byte) 0xff;
                System.arraycopy(prefix, 0, six, 12, 4);
                prefix = six;
            }
            return new Block(prefix, Integer.parseInt(cidr.substring(slash + 1)), name);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(cidr, e);
        }
    }
}
