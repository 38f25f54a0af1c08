package io.sluice.protocol.spf;

import io.sluice.protocol.dns.DnsFailure;
import io.sluice.protocol.dns.RecordLookup;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Records in memory for evaluator unit tests; names in {@link #failing} answer with a DnsFailure. */
final class FakeZone implements RecordLookup {
    private final Map<String, List<String>> txt = new HashMap<>();
    private final Map<String, List<InetAddress>> addresses = new HashMap<>();
    private final Map<String, List<String>> mx = new HashMap<>();
    private final Map<String, List<String>> ptr = new HashMap<>();
    private final Set<String> failing = new HashSet<>();
    final List<String> asked = new ArrayList<>();

    FakeZone txt(String name, String text) {
        txt.computeIfAbsent(key(name), k -> new ArrayList<>()).add(text);
        return this;
    }

    FakeZone host(String name, String... ips) {
        for (String ip : ips) {
            addresses.computeIfAbsent(key(name), k -> new ArrayList<>()).add(address(ip));
        }
        return this;
    }

    FakeZone mx(String name, String... hosts) {
        mx.put(key(name), List.of(hosts));
        return this;
    }

    FakeZone ptr(String ip, String... names) {
        ptr.put(address(ip).getHostAddress(), List.of(names));
        return this;
    }

    FakeZone failing(String name) {
        failing.add(key(name));
        return this;
    }

    @Override
    public List<String> txt(String name) throws DnsFailure {
        return answer("TXT", name, txt.getOrDefault(key(name), List.of()));
    }

    @Override
    public List<InetAddress> a(String name) throws DnsFailure {
        return answer("A", name, addresses.getOrDefault(key(name), List.of()).stream()
                .filter(a -> a.getAddress().length == 4).toList());
    }

    @Override
    public List<InetAddress> aaaa(String name) throws DnsFailure {
        return answer("AAAA", name, addresses.getOrDefault(key(name), List.of()).stream()
                .filter(a -> a.getAddress().length == 16).toList());
    }

    @Override
    public List<String> mx(String name) throws DnsFailure {
        return answer("MX", name, mx.getOrDefault(key(name), List.of()));
    }

    @Override
    public List<String> ptr(InetAddress address) throws DnsFailure {
        return answer("PTR", address.getHostAddress(), ptr.getOrDefault(address.getHostAddress(), List.of()));
    }

    private <T> List<T> answer(String type, String name, List<T> records) throws DnsFailure {
        asked.add(type + " " + key(name));
        if (failing.contains(key(name))) {
            throw new DnsFailure(type + " " + name + ": SERVFAIL");
        }
        return records;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }
}
