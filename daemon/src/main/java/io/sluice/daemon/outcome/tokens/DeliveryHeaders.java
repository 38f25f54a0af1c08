package io.sluice.daemon.outcome.tokens;

import io.sluice.daemon.config.FeedbackSettings;
import io.sluice.queue.DeliveryId;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * What one delivery gets at dispatch on top of the spooled message: the VERP return path as
 * MAIL FROM, a trace header with the delivery token, and (when the tenant or the message's
 * {@code list-unsubscribe} attribute asks for it, and the message has none of its own) RFC 2369 /
 * RFC 8058 List-Unsubscribe fields. The fields are returned separately so the Dispatcher puts them
 * before the spooled bytes and DKIM signs them with the rest of the header.
 *
 * <p>Mail with the null sender (a DSN we relay) is left as it is: it must never draw a bounce.
 */
@Singleton
public final class DeliveryHeaders {
    /** Envelope attribute overriding the tenant's unsubscribe setting for one message: on / off. */
    public static final String UNSUBSCRIBE_ATTRIBUTE = "list-unsubscribe";
    private static final byte[] NONE = new byte[0];

    /** MAIL FROM and the header fields to send before the message. */
    public record Outbound(String sender, byte[] headers) {
    }

    private final FeedbackSettings settings;
    private final ReturnPaths returnPaths;
    private final SentMessages sent;

    /** Without a Message-ID index of its own that anyone reads (tests, tools). */
    public DeliveryHeaders(FeedbackSettings settings, ReturnPaths returnPaths) {
        this(settings, returnPaths, new SentMessages(1));
    }

    /** @param sent where each delivery is noted by Message-ID, for bounces that lost their token */
    @Inject
    public DeliveryHeaders(FeedbackSettings settings, ReturnPaths returnPaths, SentMessages sent) {
        this.settings = settings;
        this.returnPaths = returnPaths;
        this.sent = sent;
    }

    /**
     * True when each recipient gets its own MAIL FROM and header fields, so a message's
     * recipients at one site cannot share a transaction.
     */
    public boolean perRecipient(String sender) {
        return returnPaths.enabled() && !sender.isEmpty();
    }

    public Outbound personalise(DeliveryId id, String sender, String recipient, Map<String, String> attributes,
                                byte[] message) {
        if (!returnPaths.enabled() || sender.isEmpty()) {
            return new Outbound(sender, NONE);
        }
        String tenant = ReturnPaths.tenantOf(attributes.get(io.sluice.daemon.outcome.suppression.SuppressionStore.TENANT_ATTRIBUTE));
        FeedbackSettings.Policy policy = settings.policy(tenant);
        DeliveryToken token = returnPaths.issue(id.message().value(), id.recipient(), tenant, recipient);
        sent.sent(message, id.message().value(), id.recipient(), tenant, recipient);
        String returnPath = returnPaths.returnPath(token, tenant);
        StringBuilder h = new StringBuilder(256);
        if (settings.traceHeader() != null) {
            h.append(settings.traceHeader()).append(": ").append(token.text()).append("\r\n");
        }
        String wanted = attributes.get(UNSUBSCRIBE_ATTRIBUTE);
        boolean unsubscribe = wanted == null ? policy.unsubscribe() : wanted.equalsIgnoreCase("on") || wanted.equalsIgnoreCase("true");
        if (unsubscribe && settings.unsubscribeUrl() != null && !hasField(message, "list-unsubscribe")) {
            h.append("List-Unsubscribe: <").append(settings.unsubscribeUrl()).append("/u/")
                    .append(UnsubscribeTokens.issue(returnPaths.signer(), tenant, recipient)).append('>');
            if (settings.unsubscribeDomain() != null) {
                h.append(",\r\n <mailto:").append(ReturnPaths.UNSUBSCRIBE_PREFIX).append(token.text()).append('@')
                        .append(settings.unsubscribeDomain()).append('>');
            }
            h.append("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
        }
        return new Outbound(returnPath != null ? returnPath : sender,
                h.length() == 0 ? NONE : h.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** True when the header section has a field of this (lower-case) name. */
    static boolean hasField(byte[] message, String name) {
        int n = name.length();
        int i = 0;
        while (i < message.length) {
            if (message[i] == '\r' || message[i] == '\n') {
                return false; // end of the header section
            }
            if (i + n < message.length && message[i + n] == ':' && new String(message, i, n, StandardCharsets.ISO_8859_1)
                    .toLowerCase(Locale.ROOT).equals(name)) {
                return true;
            }
            while (i < message.length && message[i] != '\n') {
                i++;
            }
            i++;
        }
        return false;
    }
}
