package io.sluice.daemon.ingress;

import io.micronaut.context.annotation.Value;
import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.DnsSettings;
import io.sluice.daemon.config.IngressSettings;
import io.sluice.protocol.dns.MxResolver;
import io.sluice.protocol.dns.Route;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.net.IDN;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Does a recipient's domain take mail at all? Asked at RCPT and per HTTP recipient, so that mail
 * that can only bounce is refused while the sender is still listening. Only definite answers
 * refuse: a null MX (RFC 7505) and a domain that does not exist. A DNS timeout or SERVFAIL
 * accepts (delivery retries and decides). Verdicts are cached for {@code domain-cache-ttl}:
 * {@link MxResolver} returns no TTLs, so a fixed lifetime stands in for the record's own.
 */
@Singleton
public final class DomainCheck implements AutoCloseable {

    /** What ingress does with a recipient of this domain. */
    public enum Verdict {
        ACCEPT(0, null, null),
        NULL_MX(556, "5.1.10", "does not accept mail (null MX, RFC 7505)"),
        NO_SUCH_DOMAIN(550, "5.1.2", "does not exist");

        public final int code;
        public final String enhancedCode;
        private final String why;

        Verdict(int code, String enhancedCode, String why) {
            this.code = code;
            this.enhancedCode = enhancedCode;
            this.why = why;
        }

        /** e.g. "5.1.10 domain example.com does not accept mail (null MX, RFC 7505)" */
        public String reason(String domain) {
            return enhancedCode + " Recipient domain " + domain + " " + why;
        }
    }

    private record Cached(Verdict verdict, Instant until) {
    }

    private final boolean enabled;
    private final Duration ttl;
    private final Duration timeout;
    private final Clock clock;
    private final MxResolver resolver;
    private final ExecutorService executor;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public DomainCheck(IngressSettings settings, DnsSettings dns, @Value("${sluice.smarthost:}") String smarthost,
                       Clock clock) {
        boolean smarthostOnly = smarthost != null && !smarthost.isBlank()
                && dns.servers().stream().allMatch(String::isBlank);
        this.enabled = settings.checkDomains() && !smarthostOnly;
        this.ttl = settings.domainCacheTtl();
        this.timeout = settings.domainCheckTimeout();
        this.clock = clock;
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "sluice-ingress-dns");
            t.setDaemon(true);
            return t;
        });
        List<InetSocketAddress> servers;
        try {
            servers = MxResolver.parseServers(String.join(",", dns.servers()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("sluice.dns.servers", String.join(",", dns.servers()), e.getMessage());
        }
        this.resolver = new MxResolver(servers, timeout, executor);
    }

    public boolean enabled() {
        return enabled;
    }

    /** The domain as DNS knows it: IDN U-labels become A-labels (RFC 5890), lower case. */
    public static String asciiDomain(String domain) {
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        return IDN.toASCII(d, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    }

    /** Blocks at most {@code domain-check-timeout}; address literals are never checked. */
    public Verdict check(String domain) {
        return checkAsync(domain).join();
    }

    /** Completes within {@code domain-check-timeout}, never exceptionally. */
    public CompletableFuture<Verdict> checkAsync(String domain) {
        if (!enabled || domain.startsWith("[")) {
            return CompletableFuture.completedFuture(Verdict.ACCEPT);
        }
        String ascii;
        try {
            ascii = asciiDomain(domain);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(Verdict.ACCEPT); // syntax is checked elsewhere
        }
        Instant now = clock.instant();
        Cached cached = cache.get(ascii);
        if (cached != null && cached.until().isAfter(now)) {
            return CompletableFuture.completedFuture(cached.verdict());
        }
        return resolver.resolve(ascii)
                .handle((route, error) -> {
                    if (error != null || route instanceof Route.TemporaryFailure) {
                        return null; // unknown: accept, and do not remember
                    }
                    if (route instanceof Route.NullMx) {
                        return Verdict.NULL_MX;
                    }
                    return route instanceof Route.NoSuchDomain ? Verdict.NO_SUCH_DOMAIN : Verdict.ACCEPT;
                })
                .thenApply(v -> {
                    if (v == null) {
                        return Verdict.ACCEPT;
                    }
                    cache.put(ascii, new Cached(v, clock.instant().plus(ttl)));
                    if (cache.size() > 100_000) {
                        cache.clear(); // a crude bound; verdicts are cheap to learn again
                    }
                    return v;
                })
                .completeOnTimeout(Verdict.ACCEPT, timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
