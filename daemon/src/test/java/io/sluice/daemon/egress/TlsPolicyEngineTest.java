package io.sluice.daemon.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.daemon.egress.tls.TlsPolicy;
import io.sluice.daemon.egress.tls.TlsResult;
import io.sluice.daemon.operate.events.Event;
import io.sluice.protocol.client.PeerAuthentication;
import io.sluice.protocol.client.TlsMode;
import io.sluice.queue.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/** Issue 16 item 1: the engine under per-domain TLS policies, on the scripted transport. */
class TlsPolicyEngineTest {
    @TempDir
    Path dir;
    private EngineRig rig;

    @AfterEach
    void close() {
        if (rig != null) {
            rig.close();
        }
    }

    private static RouteDecision.Target under(TlsPolicy policy, String host, String ip) throws Exception {
        return new RouteDecision.Target(host, new InetSocketAddress(InetAddress.getByName(ip), 25), policy);
    }

    @Test
    void anEnforcedPolicyTriesEachMxWithTlsThenDefersNeverInClear() throws Exception {
        rig = new EngineRig(dir, null, null);
        TlsPolicy enforce = TlsPolicy.mtaSts("example.test", true, List.of("version: STSv1", "mode: enforce"));
        RouteDecision.Target mx1 = under(enforce, "mx1.example.test", "192.0.2.10");
        RouteDecision.Target mx2 = under(enforce, "mx2.example.test", "192.0.2.11");
        rig.route("example.test", mx1, mx2);
        rig.transport.breakTls(mx1.address());
        rig.transport.breakTls(mx2.address());
        Delivery d = rig.submit("a@example.test").get(0);
        rig.settle();

        List<FakeTransport.Attempt> attempts = rig.transport.attempts;
        assertEquals(List.of(TlsMode.REQUIRED, TlsMode.REQUIRED), attempts.stream().map(FakeTransport.Attempt::tls).toList());
        assertEquals(List.of("mx1.example.test", "mx2.example.test"),
                attempts.stream().map(FakeTransport.Attempt::serverName).toList(), "SNI and the name check use the MX name");
        assertEquals(new PeerAuthentication.WebPki(true), attempts.get(0).authentication());
        Outcome.Deferred deferred = assertInstanceOf(Outcome.Deferred.class, rig.last(d), "deferred, never bounced");
        assertTrue(deferred.reason().contains("mta-sts-enforce"), deferred.reason());
        assertFalse(rig.engine.sessions().tlsBroken(mx1.address()), "a policy never learns to go in clear");
        Event event = lastDeliveryEvent();
        assertEquals("TransientFailure", event.type());
        assertEquals("mta-sts-enforce", event.tlsPolicy());
        assertEquals("failed", event.tls());
        assertEquals(2, rig.tlsResults.size());
        assertTrue(rig.tlsResults.stream().allMatch(r -> r.policyDomain().equals("example.test")
                && r.policyType() == TlsResult.PolicyType.STS && r.result() != TlsResult.ResultType.SUCCESS));
    }

    @Test
    void aTestingPolicyReportsTheFailureAndDeliversInClearWithoutRememberingIt() throws Exception {
        rig = new EngineRig(dir, null, null);
        TlsPolicy testing = TlsPolicy.mtaSts("example.test", false, List.of());
        RouteDecision.Target mx = under(testing, "mx.example.test", "192.0.2.10");
        rig.route("example.test", mx);
        rig.transport.breakTls(mx.address());
        Delivery d = rig.submit("a@example.test").get(0);
        rig.settle();

        assertInstanceOf(Outcome.Delivered.class, rig.last(d));
        assertEquals(List.of(TlsMode.OPPORTUNISTIC, TlsMode.NONE),
                rig.transport.attempts.stream().map(FakeTransport.Attempt::tls).toList());
        assertEquals(new PeerAuthentication.WebPki(false), rig.transport.attempts.get(0).authentication());
        assertFalse(rig.engine.sessions().tlsBroken(mx.address()));
        Event event = lastDeliveryEvent();
        assertEquals("mta-sts-testing", event.tlsPolicy());
        assertEquals("none", event.tls());
        assertEquals(1, rig.tlsResults.stream().filter(r -> r.result() != TlsResult.ResultType.SUCCESS).count());
    }

    @Test
    void aPolicyDomainsTlsFailureDoesNotHoldBackAnotherDomainOnTheSameMx() throws Exception {
        rig = new EngineRig(dir, null, null);
        TlsPolicy enforce = TlsPolicy.mtaSts("strict.test", true, List.of());
        rig.route("strict.test", under(enforce, "mx.shared.test", "192.0.2.10"));
        rig.route("relaxed.test", EngineRig.target("mx.shared.test", "192.0.2.10"));
        rig.transport.breakTls(new InetSocketAddress(InetAddress.getByName("192.0.2.10"), 25));
        Delivery strict = rig.submit("a@strict.test").get(0);
        Delivery relaxed = rig.submit("b@relaxed.test").get(0);
        rig.settle();

        assertInstanceOf(Outcome.Deferred.class, rig.last(strict));
        assertInstanceOf(Outcome.Delivered.class, rig.last(relaxed), "opportunistic TLS falls back to clear as before");
        assertEquals(List.of("b@relaxed.test"), rig.transport.recipientsSent());
    }

    @Test
    void aRequiredRuleChecksTheCertificateAndOpportunisticDoesNot() throws Exception {
        rig = new EngineRig(dir, null, """
                providers:
                  - name: strict
                    domains: [strict.test]
                    tls: required
                """);
        rig.route("strict.test", EngineRig.target("mx.strict.test", "192.0.2.20"));
        rig.route("other.test", EngineRig.target("mx.other.test", "192.0.2.21"));
        Delivery a = rig.submit("a@strict.test").get(0);
        Delivery b = rig.submit("b@other.test").get(0);
        rig.settle();

        assertInstanceOf(Outcome.Delivered.class, rig.last(a));
        assertInstanceOf(Outcome.Delivered.class, rig.last(b));
        for (FakeTransport.Attempt attempt : rig.transport.attempts) {
            boolean strictOne = attempt.serverName().equals("mx.strict.test");
            assertEquals(strictOne ? new PeerAuthentication.WebPki(true) : PeerAuthentication.ANY, attempt.authentication());
        }
        assertTrue(rig.events.stream().anyMatch(e -> "Delivery".equals(e.type()) && "required".equals(e.tlsPolicy())));
        assertTrue(rig.events.stream().anyMatch(e -> "Delivery".equals(e.type()) && "opportunistic".equals(e.tlsPolicy())));
        assertTrue(rig.tlsResults.isEmpty(), "rules are not published policies: nothing for TLS-RPT");
    }

    private Event lastDeliveryEvent() {
        List<Event> delivery = rig.events.stream().filter(e -> e.recipient() != null).toList();
        return delivery.get(delivery.size() - 1);
    }
}
