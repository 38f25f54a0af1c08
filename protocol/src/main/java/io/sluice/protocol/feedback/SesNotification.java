package io.sluice.protocol.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * An Amazon SES event notification (Bounce, Complaint or Delivery) as delivered by SNS to an email
 * endpoint: a JSON object in a text/plain body, sometimes wrapped in an SNS envelope whose
 * {@code Message} field is the JSON as a string.
 *
 * @param type       {@code Bounce}, {@code Complaint} or {@code Delivery}
 * @param subType    SES bounceSubType or complaintFeedbackType (may be null)
 * @param permanent  bounceType {@code Permanent}
 * @param recipients one entry per bounced/complained/delivered recipient
 */
public record SesNotification(String type, String subType, boolean permanent, List<Recipient> recipients) {

    /** @param status RFC 3463 status, @param diagnostic usually {@code "smtp; 550 5.1.1 ..."} */
    public record Recipient(String address, String action, String status, String diagnostic) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Finds and reads a notification in a text body; null when there is none. Never throws. */
    public static SesNotification find(String text) {
        if (text == null || !text.contains("notificationType")) {
            return null;
        }
        int start = text.indexOf('{');
        int end = text.lastIndexOf('}');
        if (start < 0 || end <= start) {
            return null;
        }
        String json = text.substring(start, end + 1);
        JsonNode root = read(json);
        if (root == null) {
            // Mail gateways wrap long lines; SNS's JSON has no raw newlines, so folds are noise.
            root = read(json.replaceAll("\r?\n[ \t]?", ""));
        }
        if (root == null) {
            return null;
        }
        if (root.path("Message").isTextual()) {
            JsonNode inner = read(root.path("Message").asText());
            if (inner != null) {
                root = inner;
            }
        }
        String type = root.path("notificationType").asText(root.path("eventType").asText(null));
        if (type == null) {
            return null;
        }
        List<Recipient> out = new ArrayList<>();
        switch (type) {
            case "Bounce" -> {
                JsonNode b = root.path("bounce");
                for (JsonNode r : b.path("bouncedRecipients")) {
                    out.add(new Recipient(r.path("emailAddress").asText(null), r.path("action").asText("failed"),
                            r.path("status").asText(null), r.path("diagnosticCode").asText(null)));
                }
                return new SesNotification(type, b.path("bounceSubType").asText(null),
                        "Permanent".equalsIgnoreCase(b.path("bounceType").asText()), out);
            }
            case "Complaint" -> {
                JsonNode c = root.path("complaint");
                for (JsonNode r : c.path("complainedRecipients")) {
                    out.add(new Recipient(r.path("emailAddress").asText(null), null, null, null));
                }
                return new SesNotification(type, c.path("complaintFeedbackType").asText(null), false, out);
            }
            case "Delivery" -> {
                JsonNode d = root.path("delivery");
                for (JsonNode r : d.path("recipients")) {
                    out.add(new Recipient(r.asText(), "delivered", "2.0.0", d.path("smtpResponse").asText(null)));
                }
                return new SesNotification(type, null, false, out);
            }
            default -> {
                return null;
            }
        }
    }

    private static JsonNode read(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            return n != null && n.isObject() ? n : null;
        } catch (Exception malformed) { // Jackson bounds nesting depth itself (StreamReadConstraints)
            return null;
        }
    }
}
