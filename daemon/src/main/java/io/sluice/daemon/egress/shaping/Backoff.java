package io.sluice.daemon.egress.shaping;

import io.sluice.daemon.egress.route.Site;

import io.sluice.protocol.smtp.SmtpReply;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adaptive backoff: checks each non-2xx remote reply against the reply rules, counts matches per
 * rule and scope within the rule's period, and when a rule triggers, tells the caller which
 * action to take. Time comes from the caller (an injected clock). Thread-safe.
 */
public final class Backoff {
    /** A triggered rule and the scope it applies to (null for a bounce rule, which holds nothing). */
    public record Triggered(ReplyRule rule, HoldScope scope) {
    }

    private final Map<String, ArrayDeque<Instant>> matches = new ConcurrentHashMap<>();

    /**
     * @return the first rule the reply triggers, or null
     */
    public Triggered onReply(ShapingRules rules, SmtpReply reply, String provider, String source, Site site,
                             String tenant, Instant now) {
        String text = reply.toString(); // "code enhanced-code text"
        for (ReplyRule rule : rules.replies()) {
            if (!rule.appliesTo(provider) || !rule.pattern().matcher(text).find()) {
                continue;
            }
            HoldScope scope = switch (rule.action()) {
                case SUSPEND_PATH -> new HoldScope.Path(source, site);
                case SUSPEND_SOURCE, THROTTLE -> new HoldScope.SourceProvider(source, provider);
                case SUSPEND_TENANT -> new HoldScope.Tenant(tenant);
                case BOUNCE -> null;
            };
            if (rule.count() <= 1 || counted(rule, scope, now)) {
                return new Triggered(rule, scope);
            }
            return null;
        }
        return null;
    }

    private boolean counted(ReplyRule rule, HoldScope scope, Instant now) {
        ArrayDeque<Instant> seen = matches.computeIfAbsent(rule.name() + "|" + scope, k -> new ArrayDeque<>());
        synchronized (seen) {
            Instant from = now.minus(rule.period());
            while (!seen.isEmpty() && !seen.peekFirst().isAfter(from)) {
                seen.pollFirst();
            }
            seen.addLast(now);
            if (seen.size() >= rule.count()) {
                seen.clear();
                return true;
            }
            return false;
        }
    }
}
