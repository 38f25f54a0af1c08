package io.sluice.daemon.egress.breaker;

import io.sluice.daemon.egress.Dispatcher;
import io.sluice.daemon.egress.shaping.HoldScope;
import io.sluice.daemon.egress.shaping.Suspensions;
import io.sluice.daemon.egress.sources.Pool;
import io.sluice.daemon.egress.sources.Source;
import io.sluice.daemon.operate.events.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where per-source verdicts (the sending-domain doctor's checks of a source IP: forward-confirmed
 * reverse DNS, a documented DNS block list listing, the address not plumbed on the host) turn
 * into the opt-in automatic suspension of the source ({@code sluice.breaker.suspend-sources}).
 *
 * <p>A {@link Verdict#FAIL} holds {@code source:NAME>*} (every provider) for
 * {@code sluice.breaker.source-suspend-for}, unless that would leave any pool the source is in
 * with more than half of its sources out (then it is kept, and the event says why); a
 * {@link Verdict#PASS} of the same check lifts a suspension this class placed; {@link Verdict#UNKNOWN}
 * (SERVFAIL, timeout, a zone's error answer) never acts. Each action is a {@code SourceSuspension}
 * event. Thread-safe: verdicts may come from any thread.
 */
public final class SourceSuspension {
    private static final Logger LOG = LoggerFactory.getLogger(SourceSuspension.class);
    /** The rule name of the holds placed here: {@code source-health:<check>}. */
    static final String RULE_PREFIX = "source-health:";

    /** A check's result for one source IP. */
    public enum Verdict { PASS, FAIL, UNKNOWN }

    /** What {@link #verdict} did. */
    public enum Action {
        /** Automatic suspension is off ({@code sluice.breaker.suspend-sources: false}). */
        OFF,
        /** The address is no source of the egress file. */
        NOT_A_SOURCE,
        /** Nothing to do (an unknown verdict, a pass for a source not suspended here, a fail for one already held). */
        NONE,
        /** The source was taken out of every provider's rotation. */
        SUSPENDED,
        /** Not suspended: more than half of one of its pools would be out. */
        KEPT,
        /** A suspension placed here was lifted. */
        LIFTED
    }

    private final Dispatcher engine;
    private final Consumer<Event> events;
    private final Clock clock;
    private final boolean enabled;
    private final Duration suspendFor;

    public SourceSuspension(Dispatcher engine, Consumer<Event> events, Clock clock, boolean enabled, Duration suspendFor) {
        this.engine = engine;
        this.events = events;
        this.clock = clock;
        this.enabled = enabled;
        this.suspendFor = suspendFor;
    }

    /**
     * Takes one verdict about one source IP.
     *
     * @param address the source's address, as in the egress file
     * @param check   which check, e.g. {@code fcrdns}, {@code dnsbl:zen.spamhaus.org}, {@code plumbed}
     * @param verdict pass, fail or unknown
     * @param detail  the fix in words, or what was found (goes into the event's note)
     */
    public synchronized Action verdict(InetAddress address, String check, Verdict verdict, String detail) {
        if (!enabled) {
            return Action.OFF;
        }
        Source source = sourceAt(address);
        if (source == null) {
            return Action.NOT_A_SOURCE;
        }
        HoldScope scope = HoldScope.SourceProvider.everywhere(source.name());
        String rule = RULE_PREFIX + check;
        Instant now = clock.instant();
        switch (verdict) {
            case PASS -> {
                Suspensions.Hold h = engine.holding(scope);
                if (h != null && rule.equals(h.rule()) && engine.releaseByRule(scope)) {
                    publish(now, scope, rule, "lifted", detail);
                    return Action.LIFTED;
                }
                return Action.NONE;
            }
            case FAIL -> {
                if (engine.isHeld(scope)) {
                    return Action.NONE;
                }
                String crowded = crowdedPool(source);
                if (crowded != null) {
                    publish(now, scope, rule, "kept", detail + "; not suspended: more than half of pool "
                            + crowded + " would be out");
                    return Action.KEPT;
                }
                LOG.warn("source {} out of every provider's rotation ({}): {}", source.name(), check, detail);
                engine.holdByRule(scope, now.plus(suspendFor), rule, detail, null);
                publish(now, scope, rule, "suspended", detail);
                return Action.SUSPENDED;
            }
            default -> {
                return Action.NONE;
            }
        }
    }

    private Source sourceAt(InetAddress address) {
        for (Source s : engine.egressPlan().sources().values()) {
            if (address.equals(s.address())) {
                return s;
            }
        }
        return null;
    }

    /* The first pool of the source that would have more than half of its sources out with it, or null. */
    private String crowdedPool(Source source) {
        for (Pool pool : engine.egressPlan().pools().values()) {
            List<String> names = new ArrayList<>();
            pool.sources().forEach(s -> names.add(s.name()));
            if (!names.contains(source.name())) {
                continue;
            }
            long out = names.stream().filter(n -> engine.isHeld(HoldScope.SourceProvider.everywhere(n))).count();
            if ((out + 1) * 2 > names.size()) {
                return pool.name();
            }
        }
        return null;
    }

    private void publish(Instant at, HoldScope scope, String rule, String action, String note) {
        events.accept(Event.sourceSuspension(at, scope.toString(), rule, action, note));
    }
}
