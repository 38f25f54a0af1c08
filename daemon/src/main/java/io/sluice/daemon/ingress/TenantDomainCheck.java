package io.sluice.daemon.ingress;

import io.sluice.daemon.config.FeedbackSettings;
import io.sluice.daemon.label.SendingDomains;
import io.sluice.daemon.label.Tenant;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether a tenant's mail stays within its own domains (issue 18 item 3): the MAIL FROM domain
 * (or the tenant's bounce domain, which VERP puts there anyway) and every address of every
 * {@code From:} field must be domains the tenant may use ({@link SendingDomains}). What is outside
 * is refused or, in the tenant's {@code unsigned} mode, accepted and marked so the signer gives it
 * no author signature. Both listeners ask it before the message reaches {@link Intake}.
 */
@Singleton
public final class TenantDomainCheck {

    /** Which part of the message is at fault. */
    public enum Field {
        MAIL_FROM("MAIL FROM", "envelope_sender"),
        FROM("From", "content.from");

        /** how SMTP replies name it */
        public final String smtpName;
        /** how the HTTP API names the request field (raw content: "content") */
        public final String apiField;

        Field(String smtpName, String apiField) {
            this.smtpName = smtpName;
            this.apiField = apiField;
        }
    }

    /** A domain outside the tenant's, what it was found in, and what the tenant's mode does with it. */
    public record Foreign(Field field, String domain, String tenant, SendingDomains.Mode mode, String reason) {
        /** The envelope attribute value that asks the signer to leave the message unsigned. */
        public String unsignedReason() {
            return field.smtpName + " " + domain + " is not a domain of tenant " + tenant;
        }
    }

    private final SendingDomains domains;
    private final FeedbackSettings feedback;

    @Inject
    public TenantDomainCheck(SendingDomains domains, FeedbackSettings feedback) {
        this.domains = domains;
        this.feedback = feedback;
    }

    /** Everyone may use everything but the DKIM domains of {@code signingDomains} (tests). */
    public static TenantDomainCheck undeclared() {
        return new TenantDomainCheck(SendingDomains.undeclared(Set.of()), null);
    }

    /** The MAIL FROM address's domain outside the tenant's, or null. The null sender is nobody's to check. */
    public Foreign mailFrom(String tenant, String sender) {
        if (sender == null || sender.isEmpty()) {
            return null;
        }
        String t = tenant == null ? Tenant.DEFAULT_NAME : tenant;
        String domain = domainOf(sender);
        if (domains.mayUse(t, domain) || isBounceDomain(t, domain)) {
            return null;
        }
        return foreign(Field.MAIL_FROM, domain == null ? sender : domain, t);
    }

    /** The first From address whose domain is outside the tenant's (or a message without From: "(none)"), or null. */
    public Foreign from(String tenant, byte[] message, int length) {
        String t = tenant == null ? Tenant.DEFAULT_NAME : tenant;
        List<String> found = fromDomains(message, length);
        for (String domain : found) {
            if (!domains.mayUse(t, domain)) {
                return foreign(Field.FROM, domain == null ? "(unreadable)" : domain, t);
            }
        }
        return null;
    }

    /** MAIL FROM first, then From. */
    public Foreign check(String tenant, String sender, byte[] message, int length) {
        Foreign f = mailFrom(tenant, sender);
        return f != null ? f : from(tenant, message, length);
    }

    private Foreign foreign(Field field, String domain, String tenant) {
        Set<String> own = domains.declared(tenant);
        String owner = domains.owner(domain);
        String why = "tenant " + tenant + " may not send as " + domain
                + (own.isEmpty() ? (owner == null ? "" : " (it belongs to tenant " + owner + ")")
                : " (its domains: " + String.join(", ", own) + ")");
        return new Foreign(field, domain, tenant, domains.mode(tenant), why);
    }

    private boolean isBounceDomain(String tenant, String domain) {
        if (feedback == null || domain == null) {
            return false;
        }
        String bounce = feedback.policy(tenant).bounceDomain();
        return bounce != null && (domain.equals(bounce) || domain.endsWith("." + bounce));
    }

    private static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? null : SendingDomains.normalise(address.substring(at + 1));
    }

    /**
     * Whether {@code m[from, to)}, whitespace around it ignored, is "from" in any case: what
     * decoding it as US-ASCII, stripping and lower-casing would say, without the two strings
     * per header field that made (issue 14: every field of every message).
     */
    static boolean isFrom(byte[] m, int from, int to) {
        while (from < to && m[from] >= 0 && Character.isWhitespace((char) m[from])) {
            from++;
        }
        while (to > from && m[to - 1] >= 0 && Character.isWhitespace((char) m[to - 1])) {
            to--;
        }
        return to - from == 4 && (m[from] | 0x20) == 'f' && (m[from + 1] | 0x20) == 'r'
                && (m[from + 2] | 0x20) == 'o' && (m[from + 3] | 0x20) == 'm';
    }

    /**
     * The domain of every address in every From field (null for one that cannot be read).
     * Jakarta Mail parses the address list: quoted commas, comments and groups.
     */
    static List<String> fromDomains(byte[] m, int length) {
        HeaderSection section = HeaderSection.scan(m, length);
        List<String> out = new ArrayList<>();
        int pos = 0;
        int end = section.end();
        while (pos < end) {
            int fieldEnd = pos;
            while (fieldEnd < end) {
                int eol = HeaderSection.indexOfCrlf(m, fieldEnd, end);
                fieldEnd = eol < 0 ? end : eol + 2;
                if (fieldEnd >= end || (m[fieldEnd] != ' ' && m[fieldEnd] != '\t')) {
                    break;
                }
            }
            int colon = -1;
            for (int i = pos; i < fieldEnd; i++) {
                if (m[i] == ':') {
                    colon = i;
                    break;
                }
            }
            if (colon > pos && isFrom(m, pos, colon)) {
                String value = new String(m, colon + 1, fieldEnd - colon - 1, StandardCharsets.UTF_8)
                        .replace("\r\n", "");
                try {
                    InternetAddress[] list = InternetAddress.parseHeader(value, false);
                    for (InternetAddress a : list) {
                        out.add(domainOf(a.getAddress() == null ? "" : a.getAddress()));
                    }
                    if (list.length == 0) {
                        out.add(null);
                    }
                } catch (AddressException e) {
                    out.add(null);
                }
            }
            pos = fieldEnd;
        }
        return out;
    }
}
