package io.sluice.daemon.egress.tls.sts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.daemon.egress.tls.TlsResult;
import io.sluice.daemon.egress.tls.TrustAnchors;
import io.sluice.protocol.client.SmtpClient;
import io.sluice.protocol.testing.TestCa;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 8461 §3.3 and §5: fetching over real HTTPS (a test CA, the policy host redirected to
 * loopback), the limits, and the disk cache's promises across restarts.
 */
class StsPoliciesTest {
    private static final String DOMAIN = "example.test";
    private static final String ENFORCE = "version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 86400\n";

    @TempDir
    Path dir;
    private TestCa ca;
    private PolicyHost host;
    private final AtomicReference<TxtLookup.Answer> txt = new AtomicReference<>(txt("v=STSv1; id=one;"));
    private final List<TlsResult> reported = new CopyOnWriteArrayList<>();
    private Instant now = Instant.parse("2026-12-07T00:00:00Z");

    @BeforeEach
    void start() throws Exception {
        ca = new TestCa("Test CA");
        host = new PolicyHost(ca.server("mta-sts.example.test"), PolicyHost.Answer.policy(ENFORCE));
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private SSLContext trust() throws Exception {
        SSLContext trust = SSLContext.getInstance("TLS");
        trust.init(null, new javax.net.ssl.TrustManager[] {SmtpClient.trustOf(ca.anchors())}, null);
        return trust;
    }

    private Clock clockOf() {
        return new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
    }

    private StsPolicies policies(SSLContext trust) {
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        StsPolicyFetcher fetcher = new StsPolicyFetcher(trust, Duration.ofSeconds(5),
                Map.of("mta-sts.example.test", host.address()));
        return new StsPolicies(name -> txt.get(), fetcher, new StsPolicyCache(dir.resolve("mta-sts")), TlsResult.fetchFailuresTo(reported::add),
                clock, Runnable::run, Duration.ofMinutes(5));
    }

    private StsPolicies policies() throws Exception {
        java.security.KeyStore anchors = ca.anchors();
        SSLContext trust = SSLContext.getInstance("TLS");
        trust.init(null, new javax.net.ssl.TrustManager[] {SmtpClient.trustOf(anchors)}, null);
        return policies(trust);
    }

    private static TxtLookup.Answer txt(String... records) {
        return new TxtLookup.Answer.Records(List.of(records));
    }

    private static StsPolicies.Lookup lookup(StsPolicies p) throws Exception {
        return p.lookup(DOMAIN).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPolicyIsFetchedKeptOnDiskAndSurvivesARestartWithThePolicyHostDown() throws Exception {
        StsPolicies first = policies();
        Optional<StsPolicy> fetched = lookup(first).inForce();
        assertEquals(StsPolicy.Mode.ENFORCE, fetched.orElseThrow().mode());
        assertEquals(1, host.requests.get());

        host.close(); // an attacker blocks the policy host; the daemon restarts
        StsPolicies afterRestart = policies();
        StsPolicies.Lookup kept = lookup(afterRestart);
        assertEquals(StsPolicy.Mode.ENFORCE, kept.inForce().orElseThrow().mode(), kept.why());
        assertTrue(reported.isEmpty(), "an unchanged id needs no fetch");

        txt.set(new TxtLookup.Answer.Failed("SERVFAIL")); // and DNS is blocked too
        assertTrue(lookup(policies()).inForce().isPresent(), "a kept policy outlives DNS failure");
        txt.set(txt());
        assertTrue(lookup(policies()).inForce().isPresent(), "and the TXT record's removal (RFC 8461 §5.1)");
    }

    @Test
    void aNewIdIsFetchedAndAFailedFetchKeepsTheOldPolicyAndIsReported() throws Exception {
        StsPolicies p = policies();
        lookup(p);
        txt.set(txt("v=STSv1; id=two;"));
        host.answer.set(PolicyHost.Answer.policy(ENFORCE.replace("mx.example.test", "mx2.example.test")));
        assertTrue(lookup(p).inForce().orElseThrow().allows("mx2.example.test"), "refreshed when the id changes");

        txt.set(txt("v=STSv1; id=three;"));
        host.answer.set(new PolicyHost.Answer(500, "text/plain", new byte[0], null));
        StsPolicies.Lookup kept = lookup(p);
        assertTrue(kept.inForce().orElseThrow().allows("mx2.example.test"), kept.why());
        assertEquals(1, reported.size());
        assertEquals(TlsResult.ResultType.STS_POLICY_FETCH_ERROR, reported.get(0).result());
        assertEquals(TlsResult.PolicyType.STS, reported.get(0).policyType());

        int before = host.requests.get();
        lookup(p);
        assertEquals(before, host.requests.get(), "a failed fetch is not retried for the same id at once");
    }

    @Test
    void aDecisionIsReusedForTheRecheckTimeThenTheTxtRecordIsAskedAgain() throws Exception {
        java.util.concurrent.atomic.AtomicInteger queries = new java.util.concurrent.atomic.AtomicInteger();
        StsPolicyFetcher fetcher = new StsPolicyFetcher(trust(), Duration.ofSeconds(5), Map.of("mta-sts.example.test", host.address()));
        StsPolicies p = new StsPolicies(name -> {
            queries.incrementAndGet();
            return txt.get();
        }, fetcher, new StsPolicyCache(dir.resolve("mta-sts")), TlsResult.fetchFailuresTo(reported::add),
                clockOf(), Runnable::run, Duration.ofMinutes(5), Duration.ofMinutes(1));
        assertTrue(lookup(p).inForce().isPresent());
        assertTrue(lookup(p).inForce().isPresent());
        assertEquals(1, queries.get(), "a route refresh within the minute asks DNS nothing");
        now = now.plus(Duration.ofSeconds(61));
        lookup(p);
        assertEquals(2, queries.get());
    }

    @Test
    void theCachedPolicyExpiresAfterMaxAge() throws Exception {
        StsPolicies p = policies();
        lookup(p);
        host.close();
        now = now.plus(Duration.ofDays(2)); // max_age is one day
        StsPolicies.Lookup after = lookup(policies());
        assertFalse(after.inForce().isPresent(), after.why());
        assertEquals(TlsResult.ResultType.STS_POLICY_FETCH_ERROR, reported.get(0).result());
    }

    @Test
    void nothingKeptAndTheFetchFailsMeansNoPolicyAndAReport() throws Exception {
        host.answer.set(new PolicyHost.Answer(301, "text/plain", new byte[0], "https://elsewhere.test/"));
        StsPolicies.Lookup l = lookup(policies());
        assertFalse(l.inForce().isPresent());
        assertTrue(l.why().contains("redirect"), l.why());
        assertEquals(TlsResult.ResultType.STS_POLICY_FETCH_ERROR, reported.get(0).result());
    }

    @Test
    void theWrongMediaTypeAnOversizedBodyAndAMalformedPolicyAreInvalid() throws Exception {
        host.answer.set(new PolicyHost.Answer(200, "text/html", ENFORCE.getBytes(), null));
        assertFalse(lookup(policies()).inForce().isPresent());
        now = now.plus(Duration.ofHours(1)); // past the retry pause
        host.answer.set(PolicyHost.Answer.policy(ENFORCE + "x".repeat(StsPolicyFetcher.MAX_POLICY_BYTES)));
        assertFalse(lookup(policies()).inForce().isPresent());
        now = now.plus(Duration.ofHours(1));
        host.answer.set(PolicyHost.Answer.policy("version: STSv1\nmode: enforce\n"));
        assertFalse(lookup(policies()).inForce().isPresent());
        assertEquals(List.of(TlsResult.ResultType.STS_POLICY_INVALID, TlsResult.ResultType.STS_POLICY_INVALID,
                TlsResult.ResultType.STS_POLICY_INVALID), reported.stream().map(TlsResult::result).toList());
    }

    @Test
    void aPolicyHostWhoseCertificateIsNotTrustedIsAWebPkiFailure() throws Exception {
        StsPolicies.Lookup l = lookup(policies(TrustAnchors.load("").clientContext()));
        assertFalse(l.inForce().isPresent());
        assertEquals(TlsResult.ResultType.STS_WEBPKI_INVALID, reported.get(0).result());
    }

    @Test
    void aPolicyHostCertificateForAnotherNameIsAWebPkiFailure() throws Exception {
        host.close();
        host = new PolicyHost(ca.server("mta-sts.other.test"), PolicyHost.Answer.policy(ENFORCE));
        assertFalse(lookup(policies()).inForce().isPresent());
        assertEquals(TlsResult.ResultType.STS_WEBPKI_INVALID, reported.get(0).result());
    }
}
