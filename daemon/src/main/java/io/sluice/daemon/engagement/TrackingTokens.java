package io.sluice.daemon.engagement;

import io.sluice.daemon.outcome.tokens.TokenSigner;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The tokens of {@code /t/o/{token}} (open) and {@code /t/c/{token}} (click): base64url of the
 * fields below, a dot, and the HMAC tag of {@link TokenSigner} over the kind and the fields. A click
 * token carries its target URL, so the redirect goes only where the message pointed. No address:
 * the message id and recipient index join the Delivery event.
 */
public final class TrackingTokens {
    private static final int MAX_TOKEN = 4096;

    /** What a token says. {@code link} is the 0-based index of the link in the HTML (-1 for the pixel). */
    public record Hit(Kind kind, String messageId, int recipientIndex, String tenant, String campaign,
                      Instant sentAt, int link, String url) {
    }

    public enum Kind { OPEN, CLICK }

    private final TokenSigner signer;

    /** @param signer null when no secret is set: then nothing verifies and nothing may be issued */
    public TrackingTokens(TokenSigner signer) {
        this.signer = signer;
    }

    public boolean enabled() {
        return signer != null;
    }

    public String open(String messageId, int recipientIndex, String tenant, String campaign, Instant sentAt) {
        return issue(new Hit(Kind.OPEN, messageId, recipientIndex, tenant, campaign, sentAt, -1, ""));
    }

    public String click(String messageId, int recipientIndex, String tenant, String campaign, Instant sentAt,
                        int link, String url) {
        return issue(new Hit(Kind.CLICK, messageId, recipientIndex, tenant, campaign, sentAt, link, url));
    }

    private String issue(Hit h) {
        String fields = fields(h);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fields.getBytes(StandardCharsets.UTF_8))
                + "." + signer.tag(fields);
    }

    /* kind, id, index, tenant, campaign, sent (epoch seconds), link, url: newline-separated (none holds one) */
    private static String fields(Hit h) {
        return (h.kind() == Kind.OPEN ? "o" : "c") + "\n" + h.messageId() + "\n" + h.recipientIndex() + "\n"
                + nz(h.tenant()) + "\n" + nz(h.campaign()) + "\n" + h.sentAt().getEpochSecond() + "\n" + h.link()
                + "\n" + h.url();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** The token's content when its tag is right and it is of {@code kind}; empty for anything else. */
    public Optional<Hit> verify(Kind kind, String token) {
        if (signer == null || token == null || token.length() > MAX_TOKEN) {
            return Optional.empty();
        }
        int dot = token.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String fields;
        try {
            fields = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!signer.verify(fields, token.substring(dot + 1))) {
            return Optional.empty();
        }
        String[] f = fields.split("\n", -1);
        if (f.length != 8 || !f[0].equals(kind == Kind.OPEN ? "o" : "c")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Hit(kind, f[1], Integer.parseInt(f[2]), f[3].isEmpty() ? null : f[3],
                    f[4].isEmpty() ? null : f[4], Instant.ofEpochSecond(Long.parseLong(f[5])), Integer.parseInt(f[6]),
                    f[7]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
