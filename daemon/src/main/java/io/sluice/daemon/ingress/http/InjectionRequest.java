package io.sluice.daemon.ingress.http;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A {@code POST /api/v1/inject} body after {@link RequestParser} checked it: every field has
 * its type, every address its syntax, every attachment its bytes.
 *
 * @param substitutions global template values; a recipient's own override them
 * @param sendAt        when delivery may start (null: now)
 * @param messageClass  the traffic class ({@code transactional}, {@code marketing}, ...), or null
 * @param sendWindow    the message's own delivery window, checked (null: its campaign's or tenant's)
 */
record InjectionRequest(String envelopeSender, List<Recipient> recipients, Content content,
                        Map<String, Object> substitutions, String tenant, String campaign, String pool,
                        String idempotencyKey, Instant sendAt, String messageClass, String sendWindow) {

    /**
     * @param name     display name for the To: field, or null
     * @param timeZone the recipient's IANA zone, checked, for windows that follow the recipient; or null
     */
    record Recipient(String email, String name, Map<String, Object> substitutions, Map<String, String> metadata,
                     String timeZone) {
        Recipient(String email, String name, Map<String, Object> substitutions, Map<String, String> metadata) {
            this(email, name, substitutions, metadata, null);
        }

        boolean personalised() {
            return name != null || !substitutions.isEmpty() || !metadata.isEmpty();
        }
    }

    sealed interface Content {
    }

    /** A complete RFC 5322 message, spooled as given (line ends normalised to CRLF). */
    record Raw(String message) implements Content {
    }

    /** Parts Sluice assembles into MIME; subject and bodies are Mustache templates. */
    record Structured(String from, String replyTo, String subject, String textBody, String htmlBody,
                      Map<String, String> headers, List<Attachment> attachments) implements Content {
    }

    record Attachment(String fileName, String contentType, byte[] data) {
    }

    InjectionRequest withTenant(String t) {
        return new InjectionRequest(envelopeSender, recipients, content, substitutions, t, campaign, pool,
                idempotencyKey, sendAt, messageClass, sendWindow);
    }

    boolean personalised() {
        return content instanceof Structured && recipients.stream().anyMatch(Recipient::personalised);
    }
}
