package io.sluice.daemon.egress.tls.sts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The MTA-STS policy in force for a domain (RFC 8461 §5): the {@code _mta-sts} TXT record says
 * whether there is one and its id; a policy kept on disk that has not outlived its
 * {@code max_age} is used while the id is the same, and also while the TXT record is gone or DNS
 * fails (§5.1: only a successful fetch of a new policy replaces it); a new id is fetched. When
 * the fetch fails, the kept policy stays in force; with none kept the domain is treated as
 * having no policy, and the failure goes to TLS-RPT. A failed fetch is not tried again for the
 * same id for {@code retryFetchAfter}, so a dead policy host costs one attempt, not one per route.
 * Thread-safe; lookups run on the given executor (they block on DNS and HTTPS).
 */
public final class StsPolicies {
    private static final Logger LOG = LoggerFactory.getLogger(StsPolicies.class);

    /** What was decided for a domain and why (for {@code sluicectl tls}). */
    public record Lookup(Optional<CachedPolicy> policy, String why) {
        /** The policy to apply: enforce or testing; {@code mode: none} applies nothing. */
        public Optional<StsPolicy> inForce() {
            return policy.map(CachedPolicy::policy).filter(p -> p.mode() != StsPolicy.Mode.NONE);
        }
    }

    private record FailedFetch(String id, Instant at, String why) {
    }

    private record Recent(Lookup lookup, Instant at) {
    }

    private final TxtLookup txt;
    private final StsPolicyFetcher fetcher;
    private final StsPolicyCache cache;
    private final FetchFailures failures;
    private final Clock clock;
    private final Executor executor;
    private final Duration retryFetchAfter;
    private final Duration recheckAfter;
    private final ConcurrentHashMap<String, Recent> recent = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, FailedFetch> failed = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Lookup>> inFlight = new ConcurrentHashMap<>();

    public StsPolicies(TxtLookup txt, StsPolicyFetcher fetcher, StsPolicyCache cache, FetchFailures failures,
                       Clock clock, Executor executor, Duration retryFetchAfter) {
        this(txt, fetcher, cache, failures, clock, executor, retryFetchAfter, Duration.ZERO);
    }

    /**
     * @param recheckAfter how long a decision is reused before the TXT record is asked again: route
     *                     refreshes (every few seconds for a short DNS TTL) then cost no DNS query
     *                     and no thread hop; a new policy id is noticed within this time
     */
    public StsPolicies(TxtLookup txt, StsPolicyFetcher fetcher, StsPolicyCache cache, FetchFailures failures,
                       Clock clock, Executor executor, Duration retryFetchAfter, Duration recheckAfter) {
        this.recheckAfter = recheckAfter;
        this.txt = txt;
        this.fetcher = fetcher;
        this.cache = cache;
        this.failures = failures;
        this.clock = clock;
        this.executor = executor;
        this.retryFetchAfter = retryFetchAfter;
    }

    /** The policy for {@code domain}; never fails (trouble is a {@link Lookup} without a policy). */
    public CompletableFuture<Lookup> lookup(String domain) {
        Recent last = recent.get(domain);
        if (last != null && clock.instant().isBefore(last.at().plus(recheckAfter))
                && last.lookup().policy().map(p -> p.validAt(clock.instant())).orElse(true)) {
            return CompletableFuture.completedFuture(last.lookup());
        }
        CompletableFuture<Lookup> mine = new CompletableFuture<>();
        CompletableFuture<Lookup> running = inFlight.putIfAbsent(domain, mine);
        if (running != null) {
            return running;
        }
        try {
            executor.execute(() -> {
                try {
                    Lookup decided = decide(domain);
                    if (!recheckAfter.isZero()) {
                        recent.put(domain, new Recent(decided, clock.instant()));
                    }
                    mine.complete(decided);
                } catch (RuntimeException e) {
                    LOG.warn("MTA-STS lookup for {} failed inside Sluice", domain, e);
                    mine.complete(new Lookup(Optional.empty(), "lookup failed inside Sluice: " + e));
                } finally {
                    inFlight.remove(domain, mine);
                }
            });
        } catch (RuntimeException e) { // an executor shutting down
            inFlight.remove(domain, mine);
            mine.complete(new Lookup(Optional.empty(), "lookup not run: " + e));
        }
        return mine;
    }

    private Lookup decide(String domain) {
        Instant now = clock.instant();
        Optional<CachedPolicy> kept = cache.get(domain).filter(p -> p.validAt(now));
        TxtLookup.Answer answer = txt.lookup("_mta-sts." + domain);
        if (answer instanceof TxtLookup.Answer.Failed f) {
            return kept.map(p -> new Lookup(kept, "kept policy id " + p.id() + " (TXT lookup failed: " + f.reason() + ")"))
                    .orElseGet(() -> new Lookup(Optional.empty(), "no policy known; TXT lookup failed: " + f.reason()));
        }
        Optional<StsRecord> record = StsRecord.among(((TxtLookup.Answer.Records) answer).texts());
        if (record.isEmpty()) {
            return kept.map(p -> new Lookup(kept, "kept policy id " + p.id() + " until " + p.expires()
                            + " (no STS TXT record now; RFC 8461 §5.1)"))
                    .orElseGet(() -> new Lookup(Optional.empty(), "no _mta-sts TXT record"));
        }
        String id = record.get().id();
        if (kept.isPresent() && kept.get().id().equals(id)) {
            return new Lookup(kept, "policy id " + id + " fetched " + kept.get().fetched() + ", kept until " + kept.get().expires());
        }
        FailedFetch last = failed.get(domain);
        if (last != null && last.id().equals(id) && now.isBefore(last.at().plus(retryFetchAfter))) {
            return fallback(kept, id, last.why());
        }
        try {
            String text = fetcher.fetch(domain);
            StsPolicy policy;
            try {
                policy = StsPolicy.parse(text);
            } catch (IllegalArgumentException e) {
                throw new StsFetchException(StsFetchException.Problem.INVALID, "policy of " + domain + ": " + e.getMessage(), e);
            }
            CachedPolicy fresh = new CachedPolicy(policy, id, now);
            try {
                cache.put(domain, fresh);
            } catch (IOException e) {
                LOG.warn("MTA-STS policy of {} could not be kept on disk: {}", domain, e.getMessage());
            }
            failed.remove(domain);
            LOG.info("MTA-STS policy of {} fetched: id {}, mode {}, mx {}, max_age {}s", domain, id,
                    policy.mode().name().toLowerCase(java.util.Locale.ROOT), policy.mx(), policy.maxAgeSeconds());
            return new Lookup(Optional.of(fresh), "policy id " + id + " fetched now, kept until " + fresh.expires());
        } catch (StsFetchException e) {
            LOG.info("MTA-STS policy of {} (id {}) not fetched: {}", domain, id, e.getMessage());
            failed.put(domain, new FailedFetch(id, now, e.getMessage()));
            try {
                failures.failed(domain, e);
            } catch (RuntimeException r) {
                LOG.warn("reporting the failed MTA-STS fetch of {} failed", domain, r);
            }
            return fallback(kept, id, e.getMessage());
        }
    }

    private static Lookup fallback(Optional<CachedPolicy> kept, String id, String why) {
        return kept.map(p -> new Lookup(kept, "kept policy id " + p.id() + " until " + p.expires()
                        + " (fetch of id " + id + " failed: " + why + ")"))
                .orElseGet(() -> new Lookup(Optional.empty(), "no policy: fetch of id " + id + " failed: " + why
                        + " (RFC 8461 §5.1: as if none)"));
    }
}
