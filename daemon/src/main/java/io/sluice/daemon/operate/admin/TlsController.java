package io.sluice.daemon.operate.admin;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.sluice.daemon.egress.EgressView;
import io.sluice.daemon.egress.Router;
import io.sluice.daemon.egress.tls.TlsPolicy;
import io.sluice.protocol.client.TlsMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /admin/tls?domain=D}: the transport-security policy a delivery to D would be under
 * now, per MX host, and why (issue 16 item 6; {@code sluicectl tls}). Looks DNS, DANE and MTA-STS
 * up as a delivery would (an MTA-STS policy may be fetched and kept). {@link AdminAuthFilter}
 * guards it like the other admin endpoints.
 */
@Controller("/admin")
@ExecuteOn(TaskExecutors.BLOCKING) // waits for DNS and perhaps an HTTPS fetch
public final class TlsController {

    /** One MX host's policy: the kind, whether TLS is mandatory, how the peer is checked, where it comes from. */
    @Serdeable
    public record HostPolicy(String mxHost, String policy, boolean tlsRequired, String authentication, String source) {
    }

    /** The answer: the MX hosts' policies, the hosts an enforced policy rules out, and why. */
    @Serdeable
    public record TlsAnswer(String domain, List<HostPolicy> hosts, List<String> excluded, String rule, String why) {
    }

    private final Router router;
    private final EgressView egress;

    public TlsController(Router router, EgressView egress) {
        this.router = router;
        this.egress = egress;
    }

    @Get("/tls")
    public HttpResponse<?> tls(@QueryValue String domain) {
        String d = domain.strip().toLowerCase(Locale.ROOT);
        if (d.isEmpty() || !d.matches("[a-z0-9.-]+")) {
            return HttpResponse.status(HttpStatus.BAD_REQUEST).contentType("application/problem+json")
                    .body(Map.of("type", "about:blank", "title", "Bad Request", "status", 400,
                            "detail", "domain must be a domain name (A-labels for IDN): " + domain));
        }
        EgressView.Limits limits = egress.why(d).rule();
        String ruleTls = limits == null ? "opportunistic" : limits.tls();
        TlsPolicy ruled = TlsPolicy.ofRule(TlsMode.valueOf(ruleTls.toUpperCase(Locale.ROOT)));
        Router.DomainTlsReport report;
        try {
            report = router.explainTls(d).get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).contentType("application/problem+json")
                    .body(Map.of("type", "about:blank", "title", "Service Unavailable", "status", 503,
                            "detail", "lookup for " + d + " failed: " + e));
        }
        List<HostPolicy> hosts = new ArrayList<>();
        for (String mx : report.mxHosts()) {
            if (!report.policies().allows(mx)) {
                continue;
            }
            TlsPolicy p = report.policies().policyFor(mx).orElse(ruled);
            String source = report.policies().policyFor(mx).isPresent()
                    ? (p.kind() == TlsPolicy.Kind.DANE ? "DANE TLSA records" : "MTA-STS policy of " + p.policyDomain())
                    : (limits == null ? "default" : "provider rule " + limits.provider()) + " (tls: " + ruleTls + ")";
            hosts.add(new HostPolicy(mx, p.kind().label(), p.tlsRequired(), authentication(p), source));
        }
        return HttpResponse.ok(new TlsAnswer(d, hosts, report.policies().excluded(),
                (limits == null ? "default" : limits.provider()) + ": tls " + ruleTls, report.policies().why()));
    }

    private static String authentication(TlsPolicy p) {
        if (p.authentication() instanceof io.sluice.protocol.client.PeerAuthentication.WebPki w) {
            return w.enforce() ? "web-pki (chain and MX name)" : "web-pki, report only";
        }
        if (p.authentication() instanceof io.sluice.protocol.client.PeerAuthentication.Delegated) {
            return "dane (TLSA)";
        }
        return "none";
    }
}
