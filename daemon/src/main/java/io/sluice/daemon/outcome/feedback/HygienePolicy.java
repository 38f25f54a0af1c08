package io.sluice.daemon.outcome.feedback;

import io.sluice.daemon.config.FeedbackSettings;

import io.sluice.daemon.outcome.suppression.SuppressionReason;
import io.sluice.daemon.outcome.suppression.SuppressionStore;
import io.sluice.protocol.bounce.BounceClassifier;
import io.sluice.protocol.bounce.Classification;
import io.sluice.protocol.smtp.SmtpReply;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns what we learn about a recipient into suppressions, per the tenant's policy
 * ({@code sluice.hygiene.*}): a hard bounce suppresses; N soft bounces within D suppress for T;
 * a complaint suppresses; an unsubscribe always does. Only categories about the recipient
 * ({@link io.sluice.protocol.bounce.BounceCategory#hard()}) count as hard: a block list, policy,
 * content, reputation or connection failure never suppresses anyone (one blocked IP must not wipe
 * a list). A hard category in a 4xx reply counts as a soft bounce.
 *
 * <p>Soft-bounce counts live in memory (bounded; lost on restart, which only delays a
 * suppression the next bounces will make).
 */
@Singleton
public final class HygienePolicy {
    private static final Logger LOG = LoggerFactory.getLogger(HygienePolicy.class);
    static final int MAX_TRACKED = 1_000_000;

    private final SuppressionStore store;
    private final FeedbackSettings settings;
    private final BounceClassifier classifier;
    private final Clock clock;
    private final Map<String, Deque<Soft>> softBounces = new ConcurrentHashMap<>();

    public HygienePolicy(SuppressionStore store, FeedbackSettings settings, BounceClassifier classifier, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.classifier = classifier;
        this.clock = clock;
    }

    /**
     * Classifies a synchronous non-2xx reply to a delivery and acts on it. Never throws.
     *
     * @param delivery identifies the delivery (message id + index): its retries count as one soft
     *                 bounce, so a mailbox full for an afternoon is not a pattern; null to count each
     */
    public Classification afterReply(String tenant, String recipient, SmtpReply reply, String delivery) {
        try {
            Classification c = classifier.classify(reply);
            bounced(tenant, recipient, c, reply.isPermanent(), "bounce", reply.toString(), delivery);
            return c;
        } catch (RuntimeException e) {
            LOG.warn("hygiene for {} failed: {}", recipient, e.toString());
            return null;
        }
    }

    /**
     * Acts on one classified failure (sync reply or asynchronous DSN).
     *
     * @return the suppression reason applied, or null
     */
    public SuppressionReason bounced(String tenant, String recipient, Classification c, boolean permanent,
                                     String source, String note) {
        return bounced(tenant, recipient, c, permanent, source, note, null);
    }

    private record Soft(Instant at, String delivery) {
    }

    private SuppressionReason bounced(String tenant, String recipient, Classification c, boolean permanent,
                                      String source, String note, String delivery) {
        FeedbackSettings.Policy p = settings.policy(tenant);
        if (c == null || recipient == null) {
            return null;
        }
        if (c.hard() && permanent) {
            if (p.hardBounce()) {
                store.add(tenant, recipient, SuppressionReason.HARD_BOUNCE, source,
                        c.category().label() + ": " + note, null);
                return SuppressionReason.HARD_BOUNCE;
            }
            return null;
        }
        boolean soft = c.category().hard() || p.softBounceCategories().contains(c.category());
        if (!soft || p.softBounceLimit() == 0) {
            return null;
        }
        Instant now = clock.instant();
        String key = tenant + '\n' + recipient.toLowerCase(java.util.Locale.ROOT);
        if (softBounces.size() >= MAX_TRACKED) {
            softBounces.clear(); // bounded memory beats exact counts for a flood of distinct addresses
        }
        Deque<Soft> times = softBounces.computeIfAbsent(key, k -> new ArrayDeque<>());
        int count;
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst().at().isBefore(now.minus(p.softBounceWindow()))) {
                times.removeFirst();
            }
            if (delivery != null && times.stream().anyMatch(s -> delivery.equals(s.delivery()))) {
                return null; // a retry of a delivery already counted
            }
            times.addLast(new Soft(now, delivery));
            count = times.size();
        }
        if (count >= p.softBounceLimit()) {
            softBounces.remove(key);
            store.add(tenant, recipient, SuppressionReason.REPEATED_SOFT_BOUNCE, source,
                    count + " soft bounces within " + p.softBounceWindow() + ", last " + c.category().label() + ": " + note,
                    now.plus(p.softBounceSuppressFor()));
            return SuppressionReason.REPEATED_SOFT_BOUNCE;
        }
        return null;
    }

    /** A complaint (ARF): suppresses when the tenant's policy says so. */
    public boolean complained(String tenant, String recipient, String source, String note) {
        if (!settings.policy(tenant).complaint()) {
            return false;
        }
        store.add(tenant, recipient, SuppressionReason.COMPLAINT, source, note, null);
        return true;
    }

    /** An unsubscribe request: always honoured. */
    public void unsubscribed(String tenant, String recipient, String source, String note) {
        store.add(tenant, recipient, SuppressionReason.UNSUBSCRIBE, source, note, null);
    }

    public SuppressionStore store() {
        return store;
    }
}
