package io.sluice.daemon.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A set of IPv4 and IPv6 CIDR prefixes answering "is this address inside one?" in O(log n): each
 * prefix becomes the range of addresses it covers, ranges are sorted and merged, and a lookup is a
 * binary search for the last range starting at or below the address. Apple's egress list has
 * hundreds of thousands of prefixes, so a linear scan per open would not do; the merged arrays
 * take 16 octets per IPv4 range and 32 per IPv6 range. The one CIDR matcher of the daemon: relay
 * networks, tenant bindings, trusted proxies and Apple's egress list all use it. Immutable and
 * safe to share.
 */
public final class PrefixTable {
    private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern V6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
    public static final PrefixTable EMPTY = new Builder().build();

    /* IPv4: start and end as unsigned 32-bit values in longs. */
    private final long[] v4Start;
    private final long[] v4End;
    /* IPv6: start and end as (high, low) 64-bit halves, compared unsigned. */
    private final long[] v6StartHi;
    private final long[] v6StartLo;
    private final long[] v6EndHi;
    private final long[] v6EndLo;
    private final int prefixes;

    private PrefixTable(long[] v4Start, long[] v4End, long[] v6StartHi, long[] v6StartLo, long[] v6EndHi,
                        long[] v6EndLo, int prefixes) {
        this.v4Start = v4Start;
        this.v4End = v4End;
        this.v6StartHi = v6StartHi;
        this.v6StartLo = v6StartLo;
        this.v6EndHi = v6EndHi;
        this.v6EndLo = v6EndLo;
        this.prefixes = prefixes;
    }

    /** How many prefixes went in (before merging). */
    public int prefixes() {
        return prefixes;
    }

    /** How many disjoint ranges the prefixes merged into. */
    public int ranges() {
        return v4Start.length + v6StartHi.length;
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == 4) {
            long x = bits(a, 0, 4);
            int i = lastAtOrBelow(v4Start, x);
            return i >= 0 && x <= v4End[i];
        }
        long hi = bits(a, 0, 8);
        long lo = bits(a, 8, 8);
        int low = 0;
        int high = v6StartHi.length - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (compare(v6StartHi[mid], v6StartLo[mid], hi, lo) <= 0) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found >= 0 && compare(hi, lo, v6EndHi[found], v6EndLo[found]) <= 0;
    }

    private static int lastAtOrBelow(long[] starts, long x) {
        int i = Arrays.binarySearch(starts, x);
        return i >= 0 ? i : -i - 2;
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    private static long bits(byte[] a, int from, int count) {
        long v = 0;
        for (int i = from; i < from + count; i++) {
            v = (v << 8) | (a[i] & 0xff);
        }
        return v;
    }

    /** Collects prefixes; not thread-safe. */
    public static final class Builder {
        private record Range(long startHi, long startLo, long endHi, long endLo) {
        }

        private final List<Range> v4 = new ArrayList<>();
        private final List<Range> v6 = new ArrayList<>();
        private int prefixes;

        /**
         * Adds a prefix written {@code 192.0.2.0/24}, {@code 2001:db8::/32} or as a bare address
         * (all its bits); throws IllegalArgumentException saying what is wrong with it.
         */
        public Builder add(String prefix) {
            int slash = prefix.indexOf('/');
            String host = slash < 0 ? prefix : prefix.substring(0, slash);
            // literals only: anything else would make InetAddress ask DNS
            if (!V4.matcher(host).matches() && !V6.matcher(host).matches()) {
                throw new IllegalArgumentException("not an IP address or CIDR prefix");
            }
            InetAddress address;
            int bits;
            try {
                address = InetAddress.getByName(host);
                bits = slash < 0 ? address.getAddress().length * 8 : Integer.parseInt(prefix.substring(slash + 1));
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not an IP address or CIDR prefix");
            }
            return add(address, bits);
        }

        /** Adds {@code network/bits}; the network's host bits are ignored, as routers do. */
        public Builder add(InetAddress network, int bits) {
            byte[] a = network.getAddress();
            int width = a.length * 8;
            if (bits < 0 || bits > width) {
                throw new IllegalArgumentException("prefix length out of range 0-" + width); // the entry names the length
            }
            prefixes++;
            if (network instanceof Inet4Address) {
                long x = bits(a, 0, 4);
                long host = bits == 0 ? 0xffffffffL : (1L << (32 - bits)) - 1;
                v4.add(new Range(0, x & ~host & 0xffffffffL, 0, (x | host) & 0xffffffffL));
                return this;
            }
            long hi = bits(a, 0, 8);
            long lo = bits(a, 8, 8);
            long hiHost = bits >= 64 ? 0 : (bits == 0 ? -1L : -1L >>> bits);
            long loHost = bits <= 64 ? -1L : (bits == 128 ? 0 : -1L >>> (bits - 64));
            v6.add(new Range(hi & ~hiHost, lo & ~loHost, hi | hiHost, lo | loHost));
            return this;
        }

        public PrefixTable build() {
            List<Range> m4 = merge(v4);
            List<Range> m6 = merge(v6);
            return new PrefixTable(
                    m4.stream().mapToLong(Range::startLo).toArray(), m4.stream().mapToLong(Range::endLo).toArray(),
                    m6.stream().mapToLong(Range::startHi).toArray(), m6.stream().mapToLong(Range::startLo).toArray(),
                    m6.stream().mapToLong(Range::endHi).toArray(), m6.stream().mapToLong(Range::endLo).toArray(),
                    prefixes);
        }

        /* Sorted by start; overlapping or adjacent ranges joined, so the binary search finds one. */
        private static List<Range> merge(List<Range> in) {
            List<Range> sorted = new ArrayList<>(in);
            sorted.sort((a, b) -> compare(a.startHi(), a.startLo(), b.startHi(), b.startLo()));
            List<Range> out = new ArrayList<>();
            for (Range r : sorted) {
                Range last = out.isEmpty() ? null : out.get(out.size() - 1);
                if (last != null && touches(last, r)) {
                    if (compare(r.endHi(), r.endLo(), last.endHi(), last.endLo()) > 0) {
                        out.set(out.size() - 1, new Range(last.startHi(), last.startLo(), r.endHi(), r.endLo()));
                    }
                } else {
                    out.add(r);
                }
            }
            return out;
        }

        /* r starts within last or right after its end. */
        private static boolean touches(Range last, Range r) {
            if (compare(r.startHi(), r.startLo(), last.endHi(), last.endLo()) <= 0) {
                return true;
            }
            long nextLo = last.endLo() + 1;
            long nextHi = nextLo == 0 ? last.endHi() + 1 : last.endHi();
            boolean endIsMax = last.endHi() == -1L && last.endLo() == -1L;
            return !endIsMax && r.startHi() == nextHi && r.startLo() == nextLo;
        }
    }
}
