package io.sluice.daemon.egress;

import io.sluice.daemon.egress.breaker.SourceSuspension;
import io.sluice.daemon.egress.shaping.HoldScope;
import io.sluice.daemon.operate.events.Event;
import io.sluice.protocol.smtp.SmtpReply;
import io.sluice.queue.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The opt-in source suspension over the real engine: verdicts in, holds out, never half a pool. */
class SourceSuspensionTest {
    private static final String FOUR = """
            sources:
              s1: {address: 192.0.2.1}
              s2: {address: 192.0.2.2}
              s3: {address: 192.0.2.3}
              s4: {address: 192.0.2.4}
            pools:
              main: {sources: {s1: 1, s2: 1, s3: 1, s4: 1}}
            """;

    @TempDir
    Path dir;
    private EngineRig rig;

    @AfterEach
    void close() {
        if (rig != null) {
            rig.close();
        }
    }

    private SourceSuspension health(boolean enabled) throws Exception {
        rig = new EngineRig(dir, FOUR, null);
        rig.route("example.test", EngineRig.target("mx.example.test", "192.0.2.10"));
        rig.transport.answer(rcpt -> SmtpReply.of(250, "2.0.0", "ok"));
        return new SourceSuspension(rig.engine, rig.events::add, rig.clock, enabled, Duration.ofHours(24));
    }

    private static InetAddress ip(int last) throws Exception {
        return InetAddress.getByName("192.0.2." + last);
    }

    @Test
    void aFailingSourceLeavesEveryProvidersRotationAndMailGoesFromTheOthers() throws Exception {
        SourceSuspension h = health(true);
        assertEquals(SourceSuspension.Action.SUSPENDED, h.verdict(ip(1), "fcrdns", SourceSuspension.Verdict.FAIL,
                "192.0.2.1 has no PTR record"));
        assertTrue(rig.engine.isHeld(HoldScope.parse("source:s1>*")));
        for (int i = 0; i < 8; i++) {
            rig.submit("r" + i + "@example.test");
        }
        rig.settle();
        assertEquals(8, rig.count(Outcome.Delivered.class));
        Set<String> from = rig.transport.attempts.stream().map(a -> a.source().getHostAddress()).collect(Collectors.toSet());
        assertFalse(from.contains("192.0.2.1"), "nothing from the suspended source: " + from);
        Event e = rig.events.stream().filter(x -> "SourceSuspension".equals(x.type())).findFirst().orElseThrow();
        assertEquals("suspended", e.action());
        assertEquals("source-health:fcrdns", e.rule());
    }

    @Test
    void neverMoreThanHalfOfAPoolIsOut() throws Exception {
        SourceSuspension h = health(true);
        assertEquals(SourceSuspension.Action.SUSPENDED, h.verdict(ip(1), "dnsbl", SourceSuspension.Verdict.FAIL, "listed"));
        assertEquals(SourceSuspension.Action.SUSPENDED, h.verdict(ip(2), "dnsbl", SourceSuspension.Verdict.FAIL, "listed"));
        assertEquals(SourceSuspension.Action.KEPT, h.verdict(ip(3), "dnsbl", SourceSuspension.Verdict.FAIL, "listed"));
        assertFalse(rig.engine.isHeld(HoldScope.parse("source:s3>*")));
        assertTrue(rig.events.stream().anyMatch(e -> "kept".equals(e.action())
                && e.note().contains("more than half of pool main")));
    }

    @Test
    void aPassLiftsOnlyItsOwnSuspensionAndUnknownNeverActs() throws Exception {
        SourceSuspension h = health(true);
        assertEquals(SourceSuspension.Action.NONE, h.verdict(ip(1), "fcrdns", SourceSuspension.Verdict.UNKNOWN, "SERVFAIL"));
        assertFalse(rig.engine.isHeld(HoldScope.parse("source:s1>*")));
        h.verdict(ip(1), "fcrdns", SourceSuspension.Verdict.FAIL, "no PTR");
        assertEquals(SourceSuspension.Action.NONE, h.verdict(ip(1), "dnsbl", SourceSuspension.Verdict.PASS, "not listed"),
                "another check's pass does not lift it");
        assertEquals(SourceSuspension.Action.LIFTED, h.verdict(ip(1), "fcrdns", SourceSuspension.Verdict.PASS, "PTR ok"));
        assertFalse(rig.engine.isHeld(HoldScope.parse("source:s1>*")));
        rig.engine.suspendByOperator(HoldScope.parse("source:s2>*"), rig.clock.instant().plus(Duration.ofHours(1)));
        assertEquals(SourceSuspension.Action.NONE, h.verdict(ip(2), "fcrdns", SourceSuspension.Verdict.PASS, "PTR ok"),
                "an operator's hold is the operator's to lift");
        assertTrue(rig.engine.isHeld(HoldScope.parse("source:s2>*")));
    }

    @Test
    void offByDefaultAndOnlyForSourcesOfTheEgressFile() throws Exception {
        SourceSuspension off = health(false);
        assertEquals(SourceSuspension.Action.OFF, off.verdict(ip(1), "fcrdns", SourceSuspension.Verdict.FAIL, "no PTR"));
        assertFalse(rig.engine.isHeld(HoldScope.parse("source:s1>*")));
        SourceSuspension on = new SourceSuspension(rig.engine, rig.events::add, rig.clock, true, Duration.ofHours(24));
        assertEquals(SourceSuspension.Action.NOT_A_SOURCE, on.verdict(ip(99), "fcrdns", SourceSuspension.Verdict.FAIL, "x"));
        var d = rig.submit("late@example.test").get(0);
        rig.settle();
        assertInstanceOf(Outcome.Delivered.class, rig.last(d));
    }
}
