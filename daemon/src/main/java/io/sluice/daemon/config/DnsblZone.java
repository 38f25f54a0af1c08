package io.sluice.daemon.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A DNS block list and the answers it documents as "listed". Any other answer (Spamhaus's
 * 127.255.255.x "query refused through a public resolver", say) means the zone could not tell.
 * Written in {@code sluice.doctor.dnsbl} as {@code ZONE ANSWER[,ANSWER...]}, each answer an
 * IPv4 address or a range {@code FIRST-LAST}: {@code zen.spamhaus.org 127.0.0.2-127.0.0.11}.
 */
public record DnsblZone(String zone, List<Range> listed) {
    private static final Pattern ZONE = Pattern.compile("(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");

    /** Inclusive range of IPv4 answers. */
    public record Range(long first, long last) {
        boolean contains(InetAddress a) {
            long v = value(a);
            return v >= first && v <= last;
        }
    }

    public DnsblZone {
        listed = List.copyOf(listed);
    }

    /** Whether an answer is one of the zone's documented "listed" codes. */
    public boolean isListedAnswer(InetAddress answer) {
        return answer instanceof Inet4Address && listed.stream().anyMatch(r -> r.contains(answer));
    }

    /** Parses {@code ZONE ANSWER[,ANSWER...]}; IllegalArgumentException says what is wrong. */
    public static DnsblZone parse(String text) {
        String[] parts = text.strip().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected 'ZONE ANSWERS' (e.g. 'bl.example.org 127.0.0.2,127.0.0.4-127.0.0.7'), got '"
                    + text + "'");
        }
        String zone = parts[0].toLowerCase(Locale.ROOT);
        if (zone.endsWith(".")) {
            zone = zone.substring(0, zone.length() - 1);
        }
        if (!ZONE.matcher(zone).matches()) {
            throw new IllegalArgumentException("'" + parts[0] + "' is not a DNS zone name");
        }
        List<Range> ranges = new ArrayList<>();
        for (String item : parts[1].split(",")) {
            if (item.isBlank()) {
                continue;
            }
            int dash = item.indexOf('-');
            long first = ipv4(dash < 0 ? item : item.substring(0, dash));
            long last = dash < 0 ? first : ipv4(item.substring(dash + 1));
            if (last < first) {
                throw new IllegalArgumentException("range '" + item + "' ends before it starts");
            }
            ranges.add(new Range(first, last));
        }
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("no listed answers given for " + zone);
        }
        return new DnsblZone(zone, ranges);
    }

    private static long ipv4(String text) {
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        try {
            return value(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
    }

    private static long value(InetAddress a) {
        long v = 0;
        for (byte b : a.getAddress()) {
            v = (v << 8) | (b & 0xff);
        }
        return v;
    }
}
