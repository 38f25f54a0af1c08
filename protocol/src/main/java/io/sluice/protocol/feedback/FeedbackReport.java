package io.sluice.protocol.feedback;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One complaint.
 *
 * @param feedbackType    RFC 5965 §7.3 type, lower case: {@code abuse}, {@code fraud}, {@code opt-out},
 *                        {@code auth-failure}, {@code not-spam}, {@code virus}, {@code other}
 * @param recipient       the complaining recipient (first one when several), or null when the
 *                        provider redacted it
 * @param fields          the report's fields (case-insensitive keys; repeated fields joined with ", ")
 * @param originalHeaders the header block of the reported message when it was included, else empty
 */
public record FeedbackReport(String feedbackType, String recipient, Map<String, String> fields, byte[] originalHeaders) {

    public FeedbackReport {
        originalHeaders = originalHeaders == null ? new byte[0] : originalHeaders;
    }

    /** Every complaining recipient: all Original-Rcpt-To values (RFC 5965 allows several), else {@link #recipient()}. */
    public List<String> recipients() {
        List<String> out = new ArrayList<>();
        String all = fields.get("Original-Rcpt-To");
        if (all != null) {
            for (String s : all.split("[,;\\s]+")) {
                String a = FeedbackParser.bareAddress(s);
                if (a != null && !out.contains(a)) {
                    out.add(a);
                }
            }
        }
        if (out.isEmpty() && recipient != null) {
            out.add(recipient);
        }
        return out;
    }
}
