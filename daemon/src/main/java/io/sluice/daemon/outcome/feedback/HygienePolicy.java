package io.sluice.daemon.outcome.feedback;

import io.sluice.daemon.config.FeedbackSettings;

import io.sluice.daemon.outcome.suppression.SuppressionReason;
import io.sluice.daemon.outcome.suppression.SuppressionStore;
import io.sluice.protocol.bounce.BounceClassifier;
import io.sluice.protocol.bounce.Classification;
import io.sluice.protocol.bounce.SmtpCommand;
import io.sluice.protocol.smtp.SmtpReply;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/**
 * Turns what we learn about a recipient into suppressions, per the tenant's policy
 * ({@code sluice.hygiene.*}):
 * <ul>
 *   <li>one bounce suppresses only when it is hard, permanent and its evidence is unambiguous
 *       ({@link Classification#conclusive()}: status and words agree, or the provider's own catalogue
 *       says so) and it reached us through a delivery token;</li>
 *   <li>otherwise a failure about the recipient (user or host unknown on weak evidence, mailbox full,
 *       suspended or disabled, moved) counts towards N soft bounces within the window, which suppress for
 *       a while; retries of one delivery count once;</li>
 *   <li>a block list, rate limit, policy, content, reputation, authentication or connection failure never
 *       counts and never suppresses: it is about us (one blocked IP must not wipe a list);</li>
 *   <li>a complaint suppresses; an unsubscribe always does.</li>
 * </ul>
 * A bounce tied to its delivery only by the original Message-ID ({@link Link#MESSAGE_ID}) can be
 * forged by anyone who saw the message, so it only ever counts towards N.
 *
 * <p>The counts live in {@link SoftBounceCounters}: persisted across restarts and, in cluster mode,
 * shared with the other nodes.
 */
@Singleton
public final class HygienePolicy {
    private static final Logger LOG = LoggerFactory.getLogger(HygienePolicy.class);
    static final int MAX_TRACKED = 1_000_000;

    /** Sisimai reasons about the recipient's mailbox or domain: the only ones that count towards N. */
    static final Set<String> RECIPIENT_REASONS = Set.of("userunknown", "hostunknown", "hasmoved", "notaccept",
            "mailboxfull", "suspend");

    /** How a bounce was tied to its delivery. */
    public enum Link {
        /** A signed delivery token (VERP return path or trace header): only we can make one. */
        TOKEN,
        /** The original Message-ID (and recipient) only: anyone who saw the message can forge it. */
        MESSAGE_ID
    }

    private final SuppressionStore store;
    private final FeedbackSettings settings;
    private final BounceClassifier classifier;
    private final Clock clock;
    private final SoftBounceCounters counters;

    /** A policy whose counts live in memory only (tests, tools). */
    public HygienePolicy(SuppressionStore store, FeedbackSettings settings, BounceClassifier classifier, Clock clock) {
        this(store, settings, classifier, clock, SoftBounceCounters.inMemory(MAX_TRACKED));
    }

    @Inject
    public HygienePolicy(SuppressionStore store, FeedbackSettings settings, BounceClassifier classifier, Clock clock,
                         SoftBounceCounters counters) {
        this.store = store;
        this.settings = settings;
        this.classifier = classifier;
        this.clock = clock;
        this.counters = counters;
    }

    /**
     * Classifies a synchronous non-2xx reply to a delivery and acts on it, the command it answered
     * unknown. Never throws.
     *
     * @param delivery identifies the delivery (message id + index): its retries count as one soft
     *                 bounce, so a mailbox full for an afternoon is not a pattern; null to count each
     */
    public Classification afterReply(String tenant, String recipient, SmtpReply reply, String delivery) {
        return afterReply(tenant, recipient, reply, delivery, SmtpCommand.UNKNOWN);
    }

    /** As {@link #afterReply(String, String, SmtpReply, String)}, knowing the command the reply answered. */
    public Classification afterReply(String tenant, String recipient, SmtpReply reply, String delivery, SmtpCommand command) {
        try {
            Classification c = classifier.classify(reply, command);
            bounced(tenant, recipient, c, reply.isPermanent(), "bounce", reply.toString(), delivery, Link.TOKEN);
            return c;
        } catch (SuppressionStore.DiskFull e) {
            // Not swallowed: the delivery's outcome must not be journaled while the suppression it
            // calls for cannot be written, or the address would stay open for good. The caller
            // defers the delivery; the receiver says the same again on the retry, with space then.
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("hygiene for {} failed: {}", recipient, e.toString());
            return null;
        }
    }

    /**
     * Acts on one classified failure (sync reply or asynchronous DSN) tied to its delivery by a token.
     *
     * @return the suppression reason applied, or null
     */
    public SuppressionReason bounced(String tenant, String recipient, Classification c, boolean permanent,
                                     String source, String note) {
        return bounced(tenant, recipient, c, permanent, source, note, null, Link.TOKEN);
    }

    /**
     * Acts on one classified failure.
     *
     * @param delivery the delivery it is about (so a report and its retries count once), or null
     * @param link     how the bounce was tied to the delivery
     * @return the suppression reason applied, or null
     */
    public SuppressionReason bounced(String tenant, String recipient, Classification c, boolean permanent,
                                     String source, String note, String delivery, Link link) {
        if (c == null || recipient == null) {
            return null;
        }
        FeedbackSettings.Policy p = settings.policy(tenant);
        if (!countsTowardsN(c, p)) {
            return null;
        }
        if (c.hard() && permanent && !p.hardBounce()) {
            return null; // the tenant does not suppress on bounces about unknown addresses at all
        }
        if (c.hard() && permanent && c.conclusive() && link == Link.TOKEN) {
            counters.clear(tenant, recipient);
            store.add(tenant, recipient, SuppressionReason.HARD_BOUNCE, source,
                    c.category().label() + " (" + c.evidence().name().toLowerCase(java.util.Locale.ROOT) + "): " + note, null);
            return SuppressionReason.HARD_BOUNCE;
        }
        if (p.softBounceLimit() == 0) {
            return null;
        }
        Instant now = clock.instant();
        int count = counters.record(new SoftBounceCounters.SoftBounce(tenant, recipient, now, delivery), p.softBounceWindow());
        if (count >= p.softBounceLimit()) {
            counters.clear(tenant, recipient);
            store.add(tenant, recipient, SuppressionReason.REPEATED_SOFT_BOUNCE, source,
                    count + " bounces about the recipient within " + p.softBounceWindow() + ", last " + c.reason()
                            + (link == Link.MESSAGE_ID ? " (matched by Message-ID)" : "") + ": " + note,
                    now.plus(p.softBounceSuppressFor()));
            return SuppressionReason.REPEATED_SOFT_BOUNCE;
        }
        return null;
    }

    /*
     * Only failures about the recipient count: a reason of the mailbox or domain, in a category the
     * tenant counts (hard ones always; soft ones as sluice.hygiene.soft-bounce-categories says).
     */
    static boolean countsTowardsN(Classification c, FeedbackSettings.Policy p) {
        return RECIPIENT_REASONS.contains(c.reason())
                && (c.category().hard() || p.softBounceCategories().contains(c.category()));
    }

    /** The soft-bounce counts (for tests and operators' views). */
    public SoftBounceCounters counters() {
        return counters;
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
