package io.sluice.protocol.dns;

import java.net.IDN;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Resolves a domain to the hosts that receive its mail.
 *
 * <p>Rules, in order (RFC 5321 §5.1, RFC 7505):
 * <ol>
 *   <li>NXDOMAIN for the MX query: {@link Route.NoSuchDomain}. Any other non-NOERROR rcode, a
 *       timeout or an I/O error: {@link Route.TemporaryFailure}.</li>
 *   <li>A single MX whose target is the root ".": {@link Route.NullMx}. A "." among other MX
 *       records is ignored (RFC 7505 §3 says it must not happen; the other hosts are still real).</li>
 *   <li>MX records: sorted by preference, equal preferences shuffled so load spreads. Each host's
 *       A then AAAA records are looked up; a host that resolves to nothing (NXDOMAIN, NODATA or a
 *       failed lookup) is kept with no addresses so the caller skips to the next. If no host has an
 *       address at all, the route is a {@link Route.TemporaryFailure}: this is usually a transient
 *       DNS problem or a hosting change in progress, and the queue lifetime bounds the retries
 *       (Postfix defers in the same case).</li>
 *   <li>NOERROR with no MX (NODATA): the implicit MX, the domain's own A/AAAA records. If the
 *       domain has neither, there is nowhere to deliver: {@link Route.NoSuchDomain}.</li>
 * </ol>
 *
 * <p>No cache is kept here: every call queries the configured servers, and {@link Route.Hosts}
 * carries the smallest TTL of the MX and address records so the caller may keep the answer that
 * long. Each host's addresses are shuffled (equal hosts' order is already random). Callbacks run on the executor
 * given to the constructor. Instances are immutable and safe to share between threads.
 */
public final class MxResolver {
    private static final int DNS_PORT = 53;

    private final Resolver resolver;
    private final Executor executor;

    /**
     * @param servers  the recursive resolvers to ask; empty means those of the system
     *                 (/etc/resolv.conf as dnsjava reads it)
     * @param timeout  how long one query may take, per server
     * @param executor where completion callbacks run
     */
    public MxResolver(List<InetSocketAddress> servers, Duration timeout, Executor executor) {
        Objects.requireNonNull(servers, "servers");
        Objects.requireNonNull(timeout, "timeout");
        this.executor = Objects.requireNonNull(executor, "executor");
        if (servers.size() == 1) {
            SimpleResolver simple = new SimpleResolver(servers.get(0));
            simple.setTimeout(timeout);
            this.resolver = simple;
        } else {
            ExtendedResolver extended;
            if (servers.isEmpty()) {
                extended = new ExtendedResolver();
            } else {
                List<Resolver> each = new ArrayList<>();
                for (InetSocketAddress server : servers) {
                    SimpleResolver simple = new SimpleResolver(server);
                    simple.setTimeout(timeout);
                    each.add(simple);
                }
                extended = new ExtendedResolver(each);
            }
            extended.setTimeout(timeout);
            this.resolver = extended;
        }
    }

    /**
     * Parses {@code "host[:port],host[:port]"}; the port defaults to 53. IPv6 hosts are written in
     * brackets: {@code "[::1]:5353"}. Blank input gives an empty list (the system resolver).
     */
    public static List<InetSocketAddress> parseServers(String csv) {
        List<InetSocketAddress> servers = new ArrayList<>();
        if (csv == null || csv.isBlank()) {
            return servers;
        }
        for (String raw : csv.split(",")) {
            String item = raw.strip();
            if (item.isEmpty()) {
                continue;
            }
            String host;
            int port = DNS_PORT;
            if (item.startsWith("[")) {
                int close = item.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed '[' in DNS server: " + item);
                }
                host = item.substring(1, close);
                String rest = item.substring(close + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        throw new IllegalArgumentException("expected ':port' after ']' in DNS server: " + item);
                    }
                    port = parsePort(item, rest.substring(1));
                }
            } else {
                int colon = item.indexOf(':');
                if (colon >= 0 && item.indexOf(':', colon + 1) >= 0) {
                    host = item; // a bare IPv6 address, no port
                } else if (colon >= 0) {
                    host = item.substring(0, colon);
                    port = parsePort(item, item.substring(colon + 1));
                } else {
                    host = item;
                }
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("empty host in DNS server: " + item);
            }
            servers.add(new InetSocketAddress(host, port));
        }
        return servers;
    }

    /**
     * Resolves where mail for {@code domain} goes. The future never completes exceptionally for
     * DNS trouble (that is a {@link Route.TemporaryFailure}); it does for a name that is not a
     * syntactically valid domain ({@link IllegalArgumentException}), which is a caller bug since
     * addresses are validated at ingress.
     */
    public CompletableFuture<Route> resolve(String domain) {
        Name name;
        try {
            name = toName(domain);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return query(name, Type.MX)
                .thenCompose(response -> routeFrom(name, response))
                .exceptionally(e -> new Route.TemporaryFailure("MX lookup for " + domain + " failed: " + describe(e)));
    }

    private CompletableFuture<Route> routeFrom(Name domain, Message response) {
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return CompletableFuture.completedFuture(new Route.NoSuchDomain());
        }
        if (rcode != Rcode.NOERROR) {
            return CompletableFuture.completedFuture(
                    new Route.TemporaryFailure("MX lookup for " + text(domain) + ": " + Rcode.string(rcode)));
        }
        List<MXRecord> mx = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r instanceof MXRecord m) {
                mx.add(m);
            }
        }
        if (mx.isEmpty()) {
            return implicitMx(domain);
        }
        List<MXRecord> real = new ArrayList<>();
        for (MXRecord m : mx) {
            if (!m.getTarget().equals(Name.root)) {
                real.add(m);
            }
        }
        if (real.isEmpty()) {
            return CompletableFuture.completedFuture(new Route.NullMx());
        }
        // RFC 5321 §5.1: equal preferences in random order. Shuffle, then a stable sort.
        Collections.shuffle(real, ThreadLocalRandom.current());
        real.sort(Comparator.comparingInt(MXRecord::getPriority));
        long mxTtl = real.stream().mapToLong(Record::getTTL).min().orElse(0);
        List<CompletableFuture<Addresses>> lookups = new ArrayList<>();
        for (MXRecord m : real) {
            lookups.add(addresses(m.getTarget()));
        }
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<MxHost> resolved = new ArrayList<>();
            long ttl = mxTtl;
            for (int i = 0; i < real.size(); i++) {
                Addresses a = lookups.get(i).join();
                List<InetAddress> shuffled = new ArrayList<>(a.addresses());
                Collections.shuffle(shuffled, ThreadLocalRandom.current());
                resolved.add(new MxHost(text(real.get(i).getTarget()), real.get(i).getPriority(), shuffled));
                if (!a.addresses().isEmpty()) {
                    ttl = Math.min(ttl, a.ttl());
                }
            }
            boolean any = resolved.stream().anyMatch(h -> !h.addresses().isEmpty());
            return any ? new Route.Hosts(resolved, false, ttl)
                    : new Route.TemporaryFailure("MX hosts have no addresses");
        });
    }

    /* RFC 5321 §5.1: no MX at all, so the domain itself is the host, with preference 0. */
    private CompletableFuture<Route> implicitMx(Name domain) {
        return addresses(domain).thenApply(a -> {
            if (!a.addresses().isEmpty()) {
                return new Route.Hosts(List.of(new MxHost(text(domain), 0, a.addresses())), true, a.ttl());
            }
            if (a.failure() != null) {
                return new Route.TemporaryFailure("address lookup for " + text(domain) + ": " + a.failure());
            }
            return new Route.NoSuchDomain();
        });
    }

    /* A and AAAA in parallel. failure is set when a lookup failed (not NXDOMAIN/NODATA). */
    private record Addresses(List<InetAddress> addresses, String failure, long ttl) {
        Addresses(List<InetAddress> addresses, String failure) {
            this(addresses, failure, Long.MAX_VALUE);
        }
    }

    private CompletableFuture<Addresses> addresses(Name host) {
        CompletableFuture<Addresses> v4 = addressesOfType(host, Type.A);
        CompletableFuture<Addresses> v6 = addressesOfType(host, Type.AAAA);
        return v4.thenCombine(v6, (a, b) -> {
            List<InetAddress> all = new ArrayList<>(a.addresses());
            all.addAll(b.addresses());
            String failure = a.failure() != null && b.failure() != null ? a.failure()
                    : all.isEmpty() && a.failure() != null ? a.failure()
                    : all.isEmpty() ? b.failure() : null;
            return new Addresses(all, failure, Math.min(a.ttl(), b.ttl()));
        });
    }

    private CompletableFuture<Addresses> addressesOfType(Name host, int type) {
        return query(host, type).thenApply(response -> {
            int rcode = response.getRcode();
            if (rcode == Rcode.NXDOMAIN) {
                return new Addresses(List.of(), null);
            }
            if (rcode != Rcode.NOERROR) {
                return new Addresses(List.of(), Type.string(type) + " " + Rcode.string(rcode));
            }
            List<InetAddress> found = new ArrayList<>();
            long ttl = Long.MAX_VALUE;
            for (Record r : response.getSection(Section.ANSWER)) {
                if (type == Type.A && r instanceof ARecord a) {
                    found.add(a.getAddress());
                    ttl = Math.min(ttl, r.getTTL());
                } else if (type == Type.AAAA && r instanceof AAAARecord aaaa) {
                    found.add(aaaa.getAddress());
                    ttl = Math.min(ttl, r.getTTL());
                }
            }
            return new Addresses(found, null, ttl);
        }).exceptionally(e -> new Addresses(List.of(), Type.string(type) + " " + describe(e)));
    }

    private CompletableFuture<Message> query(Name name, int type) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        return resolver.sendAsync(query, executor).toCompletableFuture();
    }

    private static Name toName(String domain) {
        Objects.requireNonNull(domain, "domain");
        String d = domain.strip();
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.isEmpty()) {
            throw new IllegalArgumentException("empty domain");
        }
        try {
            return Name.fromString(IDN.toASCII(d).toLowerCase(Locale.ROOT) + ".");
        } catch (TextParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a domain name: " + domain + " (" + e.getMessage() + ")", e);
        }
    }

    private static String text(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }

    private static int parsePort(String item, String port) {
        try {
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in DNS server: " + item);
        }
    }

    private static String describe(Throwable e) {
        Throwable cause = e;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
