package io.sluice.daemon.ingress.http;

import io.sluice.daemon.egress.window.DeliveryWindow;
import io.sluice.daemon.egress.window.WindowSyntaxException;
import io.sluice.daemon.http.InvalidParam;

import io.micronaut.json.tree.JsonNode;
import io.sluice.protocol.address.AddressSyntaxException;
import io.sluice.protocol.address.MailAddress;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a parsed JSON tree into an {@link InjectionRequest}, or into the list of every field at
 * fault, named by its path ({@code recipients[3].email}). Nothing is queued unless this finds
 * no fault at all. Header values, names, subjects and addresses may not contain CR or LF: that
 * is how header injection starts.
 */
final class RequestParser {
    private static final Set<String> TOP = Set.of("envelope_sender", "recipients", "content", "substitutions",
            "tenant", "campaign", "pool", "idempotency_key", "send_at", "send_window", "class");
    private static final Set<String> RECIPIENT = Set.of("email", "name", "substitutions", "metadata", "time_zone");
    private static final Set<String> STRUCTURED = Set.of("from", "reply_to", "subject", "text_body", "html_body",
            "headers", "attachments");
    private static final Set<String> ATTACHMENT = Set.of("file_name", "content_type", "base64_data");
    /** Fields Sluice writes itself; a request may not set them through "headers". */
    private static final Set<String> RESERVED_HEADERS = Set.of("from", "to", "cc", "bcc", "reply-to", "subject",
            "date", "mime-version", "content-type", "content-transfer-encoding", "received", "return-path");
    private static final int MAX_REPORTED = 50;

    private final int maxRecipients;
    private final List<InvalidParam> faults = new ArrayList<>();

    private RequestParser(int maxRecipients) {
        this.maxRecipients = maxRecipients;
    }

    /** The request, or {@link InvalidRequestException} naming every field at fault. */
    static InjectionRequest parse(JsonNode root, int maxRecipients) throws InvalidRequestException {
        RequestParser p = new RequestParser(maxRecipients);
        InjectionRequest request = p.request(root);
        if (!p.faults.isEmpty()) {
            throw new InvalidRequestException(List.copyOf(p.faults));
        }
        return request;
    }

    private void fault(String name, String reason) {
        if (faults.size() < MAX_REPORTED) {
            faults.add(new InvalidParam(name, reason));
        }
    }

    private InjectionRequest request(JsonNode root) {
        if (root == null || !root.isObject()) {
            fault("", "the body must be a JSON object");
            return null;
        }
        unknownFields(root, TOP, "");
        String sender = string(root, "envelope_sender", "envelope_sender", true, false);
        if (sender != null && !sender.isEmpty()) {
            address(sender, "envelope_sender");
        }
        List<InjectionRequest.Recipient> recipients = recipients(root.get("recipients"));
        InjectionRequest.Content content = content(root.get("content"));
        Map<String, Object> substitutions = substitutions(root.get("substitutions"), "substitutions");
        String tenant = label(root, "tenant");
        String campaign = label(root, "campaign");
        String pool = label(root, "pool");
        String messageClass = label(root, "class");
        String key = string(root, "idempotency_key", "idempotency_key", false, false);
        if (key != null && (key.isEmpty() || key.length() > 200)) {
            fault("idempotency_key", "must be 1 to 200 characters");
        }
        Instant sendAt = null;
        String at = string(root, "send_at", "send_at", false, false);
        if (at != null) {
            try {
                sendAt = Instant.parse(at);
            } catch (DateTimeParseException e) {
                fault("send_at", "must be an RFC 3339 UTC timestamp such as 2026-12-01T09:00:00Z");
            }
        }
        String window = sendWindow(root);
        return new InjectionRequest(sender, recipients, content, substitutions, tenant, campaign, pool, key, sendAt,
                messageClass, window);
    }

    /**
     * The message's own delivery window, checked: one that could never open is refused here,
     * and one that follows the recipient needs every recipient's {@code time_zone}.
     */
    private String sendWindow(JsonNode root) {
        String text = string(root, "send_window", "send_window", false, true);
        if (text == null) {
            return null;
        }
        DeliveryWindow window;
        try {
            window = DeliveryWindow.parse(text);
        } catch (WindowSyntaxException e) {
            fault("send_window", e.getMessage());
            return null;
        }
        JsonNode recipients = root.get("recipients");
        if (window.recipientZone() && recipients != null && recipients.isArray()) {
            int i = 0;
            for (JsonNode r : recipients.values()) {
                JsonNode zone = r.isObject() ? r.get("time_zone") : null;
                if (r.isObject() && (zone == null || zone.isNull())) {
                    fault("recipients[" + i + "].time_zone", "required: send_window follows the recipient's zone "
                            + "(\"" + DeliveryWindow.RECIPIENT + "\")");
                }
                i++;
            }
        }
        return text.strip();
    }

    private List<InjectionRequest.Recipient> recipients(JsonNode node) {
        List<InjectionRequest.Recipient> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            fault("recipients", "required");
            return out;
        }
        if (!node.isArray()) {
            fault("recipients", "must be an array");
            return out;
        }
        if (node.size() == 0) {
            fault("recipients", "must name at least one recipient");
            return out;
        }
        if (node.size() > maxRecipients) {
            fault("recipients", "at most " + maxRecipients + " recipients per request (got " + node.size() + ")");
            return out;
        }
        int i = 0;
        for (JsonNode r : node.values()) {
            String path = "recipients[" + i++ + "]";
            if (!r.isObject()) {
                fault(path, "must be an object with an \"email\"");
                continue;
            }
            unknownFields(r, RECIPIENT, path + ".");
            String email = string(r, "email", path + ".email", true, false);
            if (email != null) {
                recipientAddress(email, path + ".email");
            }
            String name = string(r, "name", path + ".name", false, true);
            Map<String, Object> subs = substitutions(r.get("substitutions"), path + ".substitutions");
            Map<String, String> metadata = new LinkedHashMap<>();
            JsonNode meta = r.get("metadata");
            if (meta != null && !meta.isNull()) {
                if (!meta.isObject()) {
                    fault(path + ".metadata", "must be an object of strings");
                } else {
                    for (Map.Entry<String, JsonNode> e : meta.entries()) {
                        if (!e.getValue().isString()) {
                            fault(path + ".metadata." + e.getKey(), "must be a string");
                        } else {
                            metadata.put(e.getKey(), e.getValue().getStringValue());
                        }
                    }
                }
            }
            String zone = string(r, "time_zone", path + ".time_zone", false, true);
            if (zone != null) {
                try {
                    zone = DeliveryWindow.zone(zone).getId();
                } catch (WindowSyntaxException e) {
                    fault(path + ".time_zone", e.getMessage());
                    zone = null;
                }
            }
            out.add(new InjectionRequest.Recipient(email, name, subs, metadata, zone));
        }
        return out;
    }

    private InjectionRequest.Content content(JsonNode node) {
        if (node == null || node.isNull()) {
            fault("content", "required");
            return null;
        }
        if (node.isString()) {
            String raw = node.getStringValue();
            if (raw.isBlank()) {
                fault("content", "an RFC 5322 message must not be empty");
            }
            return new InjectionRequest.Raw(raw);
        }
        if (!node.isObject()) {
            fault("content", "must be an RFC 5322 message (string) or an object with from, subject and a body");
            return null;
        }
        unknownFields(node, STRUCTURED, "content.");
        String from = string(node, "from", "content.from", true, true);
        if (from != null) {
            mailbox(from, "content.from");
        }
        String replyTo = string(node, "reply_to", "content.reply_to", false, true);
        if (replyTo != null) {
            mailbox(replyTo, "content.reply_to");
        }
        String subject = string(node, "subject", "content.subject", true, true);
        String text = string(node, "text_body", "content.text_body", false, false);
        String html = string(node, "html_body", "content.html_body", false, false);
        if (text == null && html == null) {
            fault("content", "needs text_body, html_body or both");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode h = node.get("headers");
        if (h != null && !h.isNull()) {
            if (!h.isObject()) {
                fault("content.headers", "must be an object of header name to value");
            } else {
                for (Map.Entry<String, JsonNode> e : h.entries()) {
                    String path = "content.headers." + e.getKey();
                    if (!e.getKey().matches("[!-9;-~]{1,76}")) {
                        fault(path, "not a header field name (RFC 5322 §3.6.8: printable ASCII, no colon)");
                    } else if (e.getKey().toLowerCase(Locale.ROOT).startsWith("x-sluice-")) {
                        // instructions to Sluice (tenant, pool, class, the bounce trace): never
                        // settable by a request, or it could relabel or forge its own mail
                        fault(path, "X-Sluice-* headers are Sluice's own; use the tenant, campaign or "
                                + "pool fields");
                    } else if (RESERVED_HEADERS.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                        fault(path, "set by Sluice; use the matching content field");
                    } else if (!e.getValue().isString()) {
                        fault(path, "must be a string");
                    } else if (hasLineBreak(e.getValue().getStringValue())) {
                        fault(path, "must not contain CR or LF");
                    } else {
                        headers.put(e.getKey(), e.getValue().getStringValue());
                    }
                }
            }
        }
        List<InjectionRequest.Attachment> attachments = new ArrayList<>();
        JsonNode a = node.get("attachments");
        if (a != null && !a.isNull()) {
            if (!a.isArray()) {
                fault("content.attachments", "must be an array");
            } else {
                int i = 0;
                for (JsonNode att : a.values()) {
                    String path = "content.attachments[" + i++ + "]";
                    if (!att.isObject()) {
                        fault(path, "must be an object with file_name, content_type, base64_data");
                        continue;
                    }
                    unknownFields(att, ATTACHMENT, path + ".");
                    String fileName = string(att, "file_name", path + ".file_name", true, true);
                    String type = string(att, "content_type", path + ".content_type", true, true);
                    if (type != null && !type.matches("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+")) {
                        fault(path + ".content_type", "not a MIME type such as application/pdf");
                    }
                    String data = string(att, "base64_data", path + ".base64_data", true, false);
                    byte[] bytes = null;
                    if (data != null) {
                        try {
                            bytes = Base64.getMimeDecoder().decode(strictBase64(data));
                        } catch (IllegalArgumentException e) {
                            fault(path + ".base64_data", "not valid base64: " + e.getMessage());
                        }
                    }
                    attachments.add(new InjectionRequest.Attachment(fileName, type, bytes));
                }
            }
        }
        return new InjectionRequest.Structured(from, replyTo, subject, text, html, headers, attachments);
    }

    /** The MIME decoder skips any junk; check the alphabet first so junk is an error. */
    private static String strictBase64(String data) {
        String compact = data.replaceAll("[\\r\\n\\t ]", "");
        if (!compact.matches("[A-Za-z0-9+/]*={0,2}") || compact.length() % 4 != 0) {
            throw new IllegalArgumentException("only A-Z a-z 0-9 + / and = padding, in groups of four");
        }
        return compact;
    }

    private Map<String, Object> substitutions(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            fault(path, "must be an object of template values");
            return Map.of();
        }
        Object value = plain(node);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return map;
    }

    /** The tree as plain maps, lists, strings, numbers and booleans (what Mustache walks). */
    private static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.entries()) {
                map.put(e.getKey(), plain(e.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            for (JsonNode v : node.values()) {
                list.add(plain(v));
            }
            return list;
        }
        if (node.isNull()) {
            return null;
        }
        return node.isString() ? node.getStringValue() : node.isBoolean() ? node.getBooleanValue() : node.getNumberValue();
    }

    private String label(JsonNode root, String field) {
        String v = string(root, field, field, false, false);
        if (v != null && !v.matches("[A-Za-z0-9._-]{1,64}")) {
            fault(field, "1 to 64 of A-Z a-z 0-9 . _ -");
            return null;
        }
        return v;
    }

    private String string(JsonNode parent, String field, String path, boolean required, boolean singleLine) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                fault(path, "required");
            }
            return null;
        }
        if (!node.isString()) {
            fault(path, "must be a string");
            return null;
        }
        String value = node.getStringValue();
        if (singleLine && hasLineBreak(value)) {
            fault(path, "must not contain CR or LF");
            return null;
        }
        return value;
    }

    private void address(String address, String path) {
        if (hasLineBreak(address)) {
            fault(path, "must not contain CR or LF");
            return;
        }
        try {
            MailAddress.parse(address, true);
        } catch (AddressSyntaxException e) {
            fault(path, "not a valid address (RFC 5321/6531): " + e.getMessage());
        }
    }

    /** A recipient: valid syntax and a domain, since delivery routes by domain only. */
    private void recipientAddress(String address, String path) {
        if (hasLineBreak(address)) {
            fault(path, "must not contain CR or LF");
            return;
        }
        try {
            if (MailAddress.parse(address, true).isAddressLiteral()) {
                fault(path, "an address literal is not delivered (Sluice routes by domain); use the domain name");
            }
        } catch (AddressSyntaxException e) {
            fault(path, "not a valid address (RFC 5321/6531): " + e.getMessage());
        }
    }

    /** "Name <addr>" or a bare address; the address part must pass RFC 5321/6531 syntax. */
    private void mailbox(String mailbox, String path) {
        int lt = mailbox.lastIndexOf('<');
        String addr = lt >= 0 && mailbox.endsWith(">") ? mailbox.substring(lt + 1, mailbox.length() - 1) : mailbox.strip();
        address(addr, path);
    }

    private void unknownFields(JsonNode object, Set<String> known, String prefix) {
        for (Map.Entry<String, JsonNode> e : object.entries()) {
            if (!known.contains(e.getKey())) {
                fault(prefix + e.getKey(), "unknown field");
            }
        }
    }

    static boolean hasLineBreak(String s) {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
    }
}
