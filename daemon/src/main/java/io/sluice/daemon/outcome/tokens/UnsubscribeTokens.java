package io.sluice.daemon.outcome.tokens;


import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * The one-click token of {@code https://HOST/u/{token}}: base64url of {@code tenant LF address},
 * a dot, and an HMAC tag over both. It carries what it needs, so it works long after the
 * message has left the spool, and it cannot be made for an address we did not mail.
 */
public final class UnsubscribeTokens {
    /** Who asked to be taken off which list. */
    public record Request(String tenant, String address) {
    }

    private UnsubscribeTokens() {
    }

    public static String issue(TokenSigner signer, String tenant, String address) {
        String a = address.toLowerCase(Locale.ROOT);
        String payload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString((tenant + "\n" + a).getBytes(StandardCharsets.UTF_8));
        return payload + "." + signer.tag("u|" + tenant + "|" + a);
    }

    /** The request, or empty for anything malformed or forged. */
    public static Optional<Request> verify(TokenSigner signer, String token) {
        if (signer == null || token == null || token.length() > 600) {
            return Optional.empty();
        }
        int dot = token.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int nl = text.indexOf('\n');
        if (nl <= 0 || nl == text.length() - 1) {
            return Optional.empty();
        }
        String tenant = text.substring(0, nl);
        String address = text.substring(nl + 1);
        if (!signer.verify("u|" + tenant + "|" + address, token.substring(dot + 1))) {
            return Optional.empty();
        }
        return Optional.of(new Request(tenant, address));
    }
}
