package io.sluice.daemon.outcome.tokens;

import io.sluice.daemon.config.FeedbackSettings;
import io.sluice.daemon.outcome.suppression.SuppressionStore;
import io.sluice.queue.MessageId;
import io.sluice.queue.Spool;
import io.sluice.queue.SpoolException;
import io.sluice.queue.StoredMessage;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * VERP return paths ({@code b-<token>@<bounce domain>}) and the way back: from a token found in
 * a bounce, complaint or unsubscribe mail to the one delivery (tenant, recipient) it was issued
 * for. A token resolves only if its HMAC matches that tenant and recipient: read from the spool
 * while the message is there, else one of the candidate addresses the report itself names
 * (Final-Recipient, Original-Rcpt-To, the sender of a mailto unsubscribe). A forged or damaged
 * token resolves to nothing, so nobody is suppressed on its word.
 */
@Singleton
public final class ReturnPaths {
    /** Local-part prefix of a VERP return path. */
    public static final String BOUNCE_PREFIX = "b-";
    /** Local-part prefix of a mailto unsubscribe address. */
    public static final String UNSUBSCRIBE_PREFIX = "unsub-";

    /** The delivery a token stands for. */
    public record Resolved(String tenant, String recipient, String messageId, int recipientIndex) {
    }

    private final FeedbackSettings settings;
    private final TokenSigner signer;
    private final Spool spool;

    public ReturnPaths(FeedbackSettings settings, Spool spool) {
        this.settings = settings;
        this.spool = spool;
        this.signer = settings.secret() == null ? null : new TokenSigner(settings.secret());
    }

    public boolean enabled() {
        return signer != null;
    }

    public TokenSigner signer() {
        return signer;
    }

    public DeliveryToken issue(String messageId, int index, String tenant, String recipient) {
        return DeliveryToken.issue(signer, messageId, index, tenant, recipient);
    }

    /** The VERP return path for a delivery, or null when the tenant has no bounce domain. */
    public String returnPath(DeliveryToken token, String tenant) {
        String domain = settings.policy(tenant).bounceDomain();
        return domain == null ? null : BOUNCE_PREFIX + token.text() + "@" + domain;
    }

    /** The token in a local part with the given prefix ({@code b-}, {@code unsub-}), syntax only. */
    public static Optional<DeliveryToken> fromAddress(String address, String prefix) {
        if (address == null) {
            return Optional.empty();
        }
        String a = address.strip();
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1);
        }
        int at = a.lastIndexOf('@');
        String local = (at < 0 ? a : a.substring(0, at)).toLowerCase(Locale.ROOT);
        return local.startsWith(prefix) ? DeliveryToken.parse(local.substring(prefix.length())) : Optional.empty();
    }

    /** What can be said of a token before the report that carries it is read. */
    public enum Check {
        /** Its message is in the spool and the HMAC matches that delivery's tenant and recipient. */
        GENUINE,
        /** Its HMAC does not match the delivery it names (or no such recipient): forged or damaged. */
        FORGED,
        /**
         * Its message has left the spool (delivered and reclaimed): the HMAC covers the recipient
         * address, which only the report itself names, so it is checked against the report.
         */
        UNKNOWN
    }

    /**
     * Checks a token's HMAC against the delivery it names, from the spool alone (for RCPT, where
     * there is no report yet). A bounce mostly arrives while its message is still spooled.
     */
    public Check check(DeliveryToken token) {
        if (signer == null || token == null) {
            return Check.FORGED;
        }
        StoredMessage m;
        try {
            m = spool.read(new MessageId(token.messageId()));
        } catch (SpoolException | RuntimeException e) {
            return Check.UNKNOWN; // not (or no longer) in the spool
        }
        List<String> rcpts = m.envelope().recipients();
        if (token.recipientIndex() >= rcpts.size()) {
            return Check.FORGED;
        }
        String tenant = tenantOf(m.envelope().attributes().get(SuppressionStore.TENANT_ATTRIBUTE));
        return token.verify(signer, tenant, rcpts.get(token.recipientIndex())) ? Check.GENUINE : Check.FORGED;
    }

    /** Resolves a token to its delivery, or empty when it is not genuine for any candidate. */
    public Optional<Resolved> resolve(DeliveryToken token, Collection<String> candidates) {
        if (signer == null || token == null) {
            return Optional.empty();
        }
        try {
            StoredMessage m = spool.read(new MessageId(token.messageId()));
            List<String> rcpts = m.envelope().recipients();
            if (token.recipientIndex() < rcpts.size()) {
                String tenant = tenantOf(m.envelope().attributes().get(SuppressionStore.TENANT_ATTRIBUTE));
                String rcpt = rcpts.get(token.recipientIndex());
                if (token.verify(signer, tenant, rcpt)) {
                    return Optional.of(new Resolved(tenant, rcpt, token.messageId(), token.recipientIndex()));
                }
            }
        } catch (SpoolException | RuntimeException e) {
            // gone from the spool (delivered long ago and reclaimed), or never ours: try the candidates
        }
        List<String> tried = new ArrayList<>();
        for (String c : candidates) {
            if (c == null || c.isBlank() || tried.contains(c.toLowerCase(Locale.ROOT))) {
                continue;
            }
            tried.add(c.toLowerCase(Locale.ROOT));
            for (String tenant : settings.knownTenants()) {
                if (token.verify(signer, tenant, c.strip())) {
                    return Optional.of(new Resolved(tenant, c.strip().toLowerCase(Locale.ROOT), token.messageId(),
                            token.recipientIndex()));
                }
            }
        }
        return Optional.empty();
    }

    public static String tenantOf(String attribute) {
        try {
            return SuppressionStore.tenant(attribute);
        } catch (IllegalArgumentException e) {
            return SuppressionStore.DEFAULT_TENANT;
        }
    }
}
