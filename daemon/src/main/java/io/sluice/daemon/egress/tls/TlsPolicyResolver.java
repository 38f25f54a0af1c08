package io.sluice.daemon.egress.tls;

import io.sluice.daemon.egress.tls.sts.StsPolicies;
import io.sluice.daemon.egress.tls.sts.StsPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Decides a domain's published policies before connecting, in the order RFC 8461 §2 and issue 16
 * give: DANE (per MX host, from the {@link DaneSource}) over MTA-STS over nothing, the provider
 * rule's {@code tls} applying where nothing is published (see {@link TlsPolicy#ofRule}). An
 * MTA-STS policy in {@code enforce} mode excludes the MX hosts it does not list (RFC 8461 §4.1);
 * a host with DANE is not excluded by it (DANE wins). Never fails.
 */
public final class TlsPolicyResolver {
    private static final Logger LOG = LoggerFactory.getLogger(TlsPolicyResolver.class);

    private final DaneSource dane;
    private final StsPolicies sts;

    /**
     * @param sts null when MTA-STS is switched off
     */
    public TlsPolicyResolver(DaneSource dane, StsPolicies sts) {
        this.dane = dane;
        this.sts = sts;
    }

    /** Opportunistic everywhere: no DANE, no MTA-STS (unit tests, smarthost setups). */
    public static TlsPolicyResolver nothingPublished() {
        return new TlsPolicyResolver(DaneSource.ABSENT, null);
    }

    public CompletableFuture<DomainTls> resolve(String domain, List<String> mxHosts) {
        List<CompletableFuture<Optional<TlsPolicy>>> daneAnswers = new ArrayList<>();
        for (String host : mxHosts) {
            daneAnswers.add(safely(domain, host));
        }
        CompletableFuture<StsPolicies.Lookup> stsAnswer = sts == null
                ? CompletableFuture.completedFuture(new StsPolicies.Lookup(Optional.empty(), "MTA-STS is switched off"))
                : sts.lookup(domain);
        return CompletableFuture.allOf(daneAnswers.toArray(CompletableFuture[]::new))
                .thenCombine(stsAnswer, (ignored, lookup) -> decide(domain, mxHosts, daneAnswers, lookup));
    }

    private DomainTls decide(String domain, List<String> mxHosts, List<CompletableFuture<Optional<TlsPolicy>>> daneAnswers,
                             StsPolicies.Lookup lookup) {
        Map<String, TlsPolicy> byHost = new HashMap<>();
        List<String> excluded = new ArrayList<>();
        Optional<StsPolicy> stsPolicy = lookup.inForce();
        int daneHosts = 0;
        for (int i = 0; i < mxHosts.size(); i++) {
            String host = mxHosts.get(i);
            Optional<TlsPolicy> d = daneAnswers.get(i).join();
            if (d.isPresent()) {
                byHost.put(host, d.get());
                daneHosts++;
                continue;
            }
            if (stsPolicy.isPresent()) {
                StsPolicy p = stsPolicy.get();
                boolean enforce = p.mode() == StsPolicy.Mode.ENFORCE;
                if (enforce && !p.allows(host)) {
                    excluded.add(host);
                    continue;
                }
                byHost.put(host, TlsPolicy.mtaSts(domain, enforce, p.lines()));
            }
        }
        String why = (daneHosts > 0 ? "DANE for " + daneHosts + " of " + mxHosts.size() + " MX hosts; " : "")
                + "MTA-STS: " + lookup.why()
                + (excluded.isEmpty() ? "" : "; MX hosts not in the enforced policy: " + excluded);
        return new DomainTls(domain, byHost, excluded, why);
    }

    private CompletableFuture<Optional<TlsPolicy>> safely(String domain, String host) {
        CompletableFuture<Optional<TlsPolicy>> answer;
        try {
            answer = dane.policy(domain, host);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.exceptionally(e -> {
            LOG.warn("the DANE source failed for {} at {}; treated as no DANE", domain, host, e);
            return Optional.empty();
        });
    }
}
