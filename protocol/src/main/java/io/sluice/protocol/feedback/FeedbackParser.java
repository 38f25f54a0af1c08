package io.sluice.protocol.feedback;

import io.sluice.protocol.mime.MimePart;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads complaint reports (see the package notes). Stateless and thread-safe. */
public final class FeedbackParser {

    private static final Pattern ADDRESS = Pattern.compile("[^\\s<>\"'(),;:@\\[\\]]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}|[^\\s<>\"'(),;:@]+@[A-Za-z0-9-]+\\.[A-Za-z0-9.-]+");
    private static final Pattern COMPLAINT_SUBJECT = Pattern.compile(
            "(?i)\\b(complaint about message|abuse report|spam report|feedback loop|fbl report|email feedback report)\\b");

    public FeedbackParser() {}

    /** Parses raw message bytes; empty when the mail is not a complaint report. Never throws. */
    public Optional<FeedbackReport> parse(byte[] raw) {
        try {
            return parse(MimePart.parse(raw));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    /** Parses an already-read message; empty when it is not a complaint report. Never throws. */
    public Optional<FeedbackReport> parse(MimePart message) {
        try {
            return Optional.ofNullable(arf(message))
                    .or(() -> Optional.ofNullable(ses(message)))
                    .or(() -> Optional.ofNullable(jmrp(message)))
                    .or(() -> Optional.ofNullable(unsubscribe(message)));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    /* RFC 5965 §2: multipart/report; report-type=feedback-report, second part message/feedback-report. */
    private static FeedbackReport arf(MimePart message) {
        MimePart report = null;
        for (MimePart p : message.flatten()) {
            if (p.mediaType().equals("message/feedback-report")) {
                report = p;
                break;
            }
        }
        if (report == null) {
            return null;
        }
        Map<String, String> fields = fields(report.decodedBody());
        String type = fields.get("Feedback-Type");
        if (type == null) {
            return null; // §3.1: Feedback-Type is required; without it this is not a report we can act on
        }
        MimePart original = original(message);
        String recipient = firstAddress(fields.get("Original-Rcpt-To"));
        if (recipient == null) {
            recipient = firstAddress(fields.get("Removal-Recipient"));
        }
        if (recipient == null && original != null) {
            recipient = recipientOf(original);
        }
        return new FeedbackReport(type.strip().toLowerCase(Locale.ROOT), recipient, fields, headersOf(original, message));
    }

    private static FeedbackReport ses(MimePart message) {
        for (MimePart p : message.flatten()) {
            if (!p.mediaType().startsWith("text/")) {
                continue;
            }
            SesNotification n = SesNotification.find(p.text());
            if (n != null && n.type().equals("Complaint")) {
                Map<String, String> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                StringBuilder all = new StringBuilder();
                for (SesNotification.Recipient r : n.recipients()) {
                    if (r.address() != null) {
                        all.append(all.length() == 0 ? "" : ", ").append(r.address());
                    }
                }
                String type = n.subType() == null || n.subType().isBlank() ? "abuse" : n.subType().toLowerCase(Locale.ROOT);
                fields.put("Feedback-Type", type);
                if (all.length() > 0) {
                    fields.put("Original-Rcpt-To", all.toString());
                }
                fields.put("User-Agent", "Amazon SES");
                return new FeedbackReport(type, firstAddress(all.toString()), Map.copyOf(fields), new byte[0]);
            }
            return null; // only the first text part carries the notification
        }
        return null;
    }

    /* Microsoft JMRP: the complained-about message attached whole, no machine-readable part. */
    private static FeedbackReport jmrp(MimePart message) {
        MimePart original = original(message);
        if (original == null) {
            return null;
        }
        String hotmail = original.header("X-HmXmrOriginalRecipient");
        String subject = message.decodedHeader("Subject");
        if (hotmail == null && (subject == null || !COMPLAINT_SUBJECT.matcher(subject).find())) {
            return null;
        }
        String recipient = hotmail != null ? firstAddress(hotmail) : recipientOf(original);
        Map<String, String> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        fields.put("Feedback-Type", "abuse");
        if (recipient != null) {
            fields.put("Original-Rcpt-To", recipient);
        }
        if (message.header("From") != null) {
            fields.put("Reported-By", message.header("From"));
        }
        return new FeedbackReport("abuse", recipient, fields, original.headerBytes());
    }

    /* RFC 2369 §3.2 mailto unsubscribe: a short mail whose subject says so (Apple Mail marks it too). */
    private static FeedbackReport unsubscribe(MimePart message) {
        String subject = message.decodedHeader("Subject");
        boolean apple = "true".equalsIgnoreCase(message.header("X-Apple-Unsubscribe"));
        if (!apple && (subject == null || !subject.strip().equalsIgnoreCase("unsubscribe"))) {
            return null;
        }
        String recipient = firstAddress(message.header("From"));
        Map<String, String> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        fields.put("Feedback-Type", "opt-out");
        if (recipient != null) {
            fields.put("Original-Rcpt-To", recipient);
        }
        if (message.header("To") != null) {
            fields.put("Unsubscribe-Address", message.header("To"));
        }
        return new FeedbackReport("opt-out", recipient, fields, message.headerBytes());
    }

    private static Map<String, String> fields(byte[] body) {
        Map<String, String> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        MimePart asHeaders = MimePart.parse(body);
        for (MimePart.Header h : asHeaders.headers()) {
            String v = new String(h.value().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            fields.merge(h.name(), v, (a, b) -> a + ", " + b);
        }
        return java.util.Collections.unmodifiableMap(fields);
    }

    private static MimePart original(MimePart message) {
        for (MimePart p : message.flatten()) {
            String t = p.mediaType();
            if ((t.equals("message/rfc822") || t.equals("message/global")) && !p.children().isEmpty()) {
                return p.children().get(0);
            }
            if (t.equals("text/rfc822-headers") || t.equals("text/rfc822-header") || t.equals("message/rfc822-headers")) {
                return MimePart.parse(p.decodedBody());
            }
        }
        return null;
    }

    private static byte[] headersOf(MimePart original, MimePart message) {
        return original == null ? new byte[0] : original.headerBytes();
    }

    private static String recipientOf(MimePart original) {
        String r = firstAddress(original.header("X-HmXmrOriginalRecipient"));
        if (r == null) {
            r = firstAddress(original.header("To"));
        }
        if (r == null) {
            r = firstAddress(original.header("Delivered-To"));
        }
        return r;
    }

    /** The first thing that looks like an address in a field, lower-cased domain kept as written; null if none. */
    static String firstAddress(String field) {
        if (field == null) {
            return null;
        }
        Matcher m = ADDRESS.matcher(field);
        return m.find() ? m.group() : null;
    }

    static String bareAddress(String s) {
        return firstAddress(s);
    }
}
