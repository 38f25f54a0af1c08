package io.sluice.daemon.outcome.tokens;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names one delivery (message id + recipient index) in a form that fits a local part and cannot
 * be forged: {@code <ulid>-<index base36>-<tag>} (at most 26+1+6+1+13 = 47 octets, so
 * {@code b-<token>} and {@code unsub-<token>} stay within RFC 5321's 64). The tag is an HMAC over
 * the id, index, tenant and recipient address: a report that names the token can only ever
 * suppress the one address it was sent to.
 */
public record DeliveryToken(String messageId, int recipientIndex, String tag) {
    private static final Pattern SYNTAX = Pattern.compile("([0-9a-hjkmnp-tv-z]{26})-([0-9a-z]{1,6})-([a-z2-7]{13})");

    public static DeliveryToken issue(TokenSigner signer, String messageId, int index, String tenant, String recipient) {
        String id = messageId.toUpperCase(Locale.ROOT);
        return new DeliveryToken(id, index, signer.tag(data(id, index, tenant, recipient)));
    }

    /** Syntax only; {@link #verify} says whether it is genuine for an address. */
    public static Optional<DeliveryToken> parse(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Matcher m = SYNTAX.matcher(token.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new DeliveryToken(m.group(1).toUpperCase(Locale.ROOT), Integer.parseInt(m.group(2), 36),
                    m.group(3)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public boolean verify(TokenSigner signer, String tenant, String recipient) {
        return signer.verify(data(messageId, recipientIndex, tenant, recipient), tag);
    }

    private static String data(String id, int index, String tenant, String recipient) {
        return "d|" + id + "|" + index + "|" + tenant + "|" + recipient.toLowerCase(Locale.ROOT);
    }

    /** The token as it goes into a local part or header. */
    public String text() {
        return messageId.toLowerCase(Locale.ROOT) + "-" + Integer.toString(recipientIndex, 36) + "-" + tag;
    }

    @Override
    public String toString() {
        return text();
    }
}
