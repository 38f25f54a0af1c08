package io.sluice.daemon.egress;

import io.sluice.daemon.egress.route.Destination;

import io.micronaut.context.annotation.Value;
import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.DeliverySettings;
import io.sluice.daemon.config.DnsSettings;
import io.sluice.protocol.dns.SpecialPurposeAddresses;
import io.sluice.protocol.dns.MxHost;
import io.sluice.protocol.dns.MxResolver;
import io.sluice.protocol.dns.Route;
import io.sluice.protocol.smtp.SmtpReply;
import io.sluice.daemon.egress.tls.DomainTls;
import io.sluice.daemon.egress.tls.TlsPolicy;
import io.sluice.daemon.egress.tls.TlsPolicyResolver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Decides where a domain's mail goes: the configured smarthost, or the domain's MX hosts
 * (RFC 5321 §5.1) found through DNS, on {@code sluice.delivery.port}.
 */
@Singleton
public final class Router implements RouteLookup, AutoCloseable {

    private final int port;
    private final InetSocketAddress smarthost;
    private final String smarthostName;
    private final MxResolver resolver;
    private final ExecutorService dnsExecutor;
    private final boolean allowPrivateMx;
    private final TlsPolicyResolver tls;

    /** A router that applies no published TLS policy (unit tests). */
    public Router(DeliverySettings delivery, DnsSettings dns, String smarthost) {
        this(delivery, dns, smarthost, TlsPolicyResolver.nothingPublished());
    }

    @Inject
    public Router(DeliverySettings delivery, DnsSettings dns, @Value("${sluice.smarthost:}") String smarthost,
                  TlsPolicyResolver tls) {
        this.tls = tls;
        this.port = delivery.port();
        this.allowPrivateMx = delivery.allowPrivateMx();
        this.dnsExecutor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "sluice-dns");
            t.setDaemon(true);
            return t;
        });
        if (smarthost == null || smarthost.isBlank()) {
            this.smarthost = null;
            this.smarthostName = null;
        } else {
            this.smarthostName = smarthost.trim();
            this.smarthost = parseHostPort("sluice.smarthost", smarthostName, 25);
        }
        List<InetSocketAddress> servers;
        try {
            servers = MxResolver.parseServers(String.join(",", dns.servers()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("sluice.dns.servers", String.join(",", dns.servers()), e.getMessage());
        }
        this.resolver = new MxResolver(servers, dns.timeout(), dnsExecutor);
    }

    @Override
    public Destination destinationOf(String domain) {
        return smarthost != null ? Destination.SMARTHOST : Destination.domain(domain);
    }

    @Override
    public CompletableFuture<RouteDecision> route(Destination destination) {
        String destinationKey = destination.key();
        if (smarthost != null) {
            return CompletableFuture.completedFuture(new RouteDecision.Targets(
                    List.of(new RouteDecision.Target(smarthost.getHostString(), smarthost))));
        }
        return resolver.resolve(destinationKey).thenCompose(route -> {
            if (!(route instanceof Route.Hosts hosts)) {
                return CompletableFuture.completedFuture(decide(destinationKey, route, null));
            }
            List<String> names = hosts.hosts().stream().map(MxHost::name).distinct().toList();
            return tls.resolve(destinationKey, names).thenApply(policies -> decide(destinationKey, route, policies));
        }).handle((decision, error) -> {
            if (error != null) {
                return new RouteDecision.Unavailable(SmtpReply.of(451, "4.4.3",
                        "DNS lookup for " + destinationKey + " failed: " + error.getMessage()));
            }
            return decision;
        });
    }

    /**
     * The published TLS policies of {@code domain} now and why (for {@code sluicectl tls}): its MX
     * hosts from DNS, then DANE and MTA-STS as a delivery would see them.
     */
    public CompletableFuture<DomainTlsReport> explainTls(String domain) {
        if (smarthost != null) {
            return CompletableFuture.completedFuture(new DomainTlsReport(domain, List.of(),
                    DomainTls.none(domain, "everything goes to the smarthost " + smarthostName + "; no published policy applies")));
        }
        return resolver.resolve(domain).thenCompose(route -> {
            if (!(route instanceof Route.Hosts hosts)) {
                return CompletableFuture.completedFuture(new DomainTlsReport(domain, List.of(),
                        DomainTls.none(domain, "no MX hosts to secure: " + route)));
            }
            List<String> names = hosts.hosts().stream().map(MxHost::name).distinct().toList();
            return tls.resolve(domain, names).thenApply(p -> new DomainTlsReport(domain, names, p));
        });
    }

    /** A domain's MX hosts and the published policies found for them. */
    public record DomainTlsReport(String domain, List<String> mxHosts, DomainTls policies) {
    }

    private RouteDecision decide(String domain, Route route, DomainTls policies) {
        if (route instanceof Route.NullMx) {
            return new RouteDecision.Refused(SmtpReply.of(556, "5.1.10",
                    "domain " + domain + " does not accept mail (null MX, RFC 7505)"));
        }
        if (route instanceof Route.NoSuchDomain) {
            return new RouteDecision.Refused(SmtpReply.of(550, "5.1.2", "domain " + domain + " does not exist"));
        }
        if (route instanceof Route.TemporaryFailure failure) {
            return new RouteDecision.Unavailable(SmtpReply.of(451, "4.4.3",
                    "DNS lookup for " + domain + " failed: " + failure.reason()));
        }
        Route.Hosts hosts = (Route.Hosts) route;
        List<RouteDecision.Target> targets = new ArrayList<>();
        List<String> names = new ArrayList<>();
        boolean privateOnly = false;
        for (MxHost host : hosts.hosts()) {
            if (policies != null && !policies.allows(host.name())) {
                continue; // RFC 8461 §4.1: an enforced policy that does not list the host rules it out
            }
            names.add(host.name());
            TlsPolicy published = policies == null ? null : policies.policyFor(host.name()).orElse(null);
            for (InetAddress address : host.addresses()) {
                if (!allowPrivateMx && isPrivate(address)) {
                    privateOnly = true;
                    continue;
                }
                targets.add(new RouteDecision.Target(host.name(), new InetSocketAddress(address, port), published));
            }
        }
        if (names.isEmpty()) {
            // the domain defers alone: other domains on the same MX hosts are not held back
            return new RouteDecision.Unavailable(SmtpReply.of(451, "4.7.5", "no MX host of " + domain
                    + " matches its MTA-STS policy (" + policies.excluded() + " are not listed)"),
                    TlsPolicy.mtaSts(domain, true, List.of()));
        }
        if (targets.isEmpty() && privateOnly) {
            // A misconfigured (or hostile) zone must not make us deliver into our own network.
            return new RouteDecision.Refused(SmtpReply.of(550, "5.4.6",
                    "the mail exchangers of " + domain + " point to loopback or private addresses"));
        }
        if (targets.isEmpty()) {
            return new RouteDecision.Unavailable(SmtpReply.of(451, "4.4.4",
                    "no address found for the mail exchangers of " + domain));
        }
        return new RouteDecision.Targets(targets, names, hosts.ttlSeconds());
    }

    /**
     * Not global unicast by the IANA special-purpose registries: loopback, private, shared
     * (100.64/10), link-local, multicast, documentation, and the translation forms (NAT64, 6to4,
     * IPv4-mapped) judged by the IPv4 address inside them.
     */
    static boolean isPrivate(InetAddress a) {
        return !SpecialPurposeAddresses.isGlobalUnicast(a);
    }

    static InetSocketAddress parseHostPort(String key, String value, int defaultPort) {
        String host = value;
        int port = defaultPort;
        int colon = value.lastIndexOf(':');
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new ConfigException(key, value, "unclosed '[' in host");
            }
            host = value.substring(1, close);
            if (close + 1 < value.length()) {
                if (value.charAt(close + 1) != ':') {
                    throw new ConfigException(key, value, "expected host:port");
                }
                port = parsePort(key, value, value.substring(close + 2));
            }
        } else if (colon > 0 && value.indexOf(':') == colon) {
            host = value.substring(0, colon);
            port = parsePort(key, value, value.substring(colon + 1));
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new ConfigException(key, value, "unknown host " + host);
        }
    }

    private static int parsePort(String key, String value, String port) {
        try {
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535) {
                throw new ConfigException(key, value, "port out of range 1-65535");
            }
            return p;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "port is not a number");
        }
    }

    @Override
    public void close() {
        dnsExecutor.shutdownNow();
    }
}
