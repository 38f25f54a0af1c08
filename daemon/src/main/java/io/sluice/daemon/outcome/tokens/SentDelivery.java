package io.sluice.daemon.outcome.tokens;

import java.util.Optional;

/**
 * One delivery as the Message-ID index keeps it: the message's Message-ID (normalised: without
 * angle brackets, lower case), the spool message and recipient index it was sent as, its tenant,
 * its From address (lower case, null when it had none we could read) and its recipient (lower
 * case). The unit {@link SentMessages} persists and shares, as one tab-separated {@link #line()}.
 */
public record SentDelivery(String messageId, String spoolMessageId, int recipientIndex, String tenant, String from,
                           String recipient) {
    private static final int FIELDS = 6;

    /** {@code messageId spool index tenant from recipient}, TAB-separated ({@code from} empty for none). */
    public String line() {
        return messageId + '\t' + spoolMessageId + '\t' + recipientIndex + '\t' + tenant + '\t' + (from == null ? "" : from)
                + '\t' + recipient;
    }

    /** True when {@link #line()} reads back as this delivery: no field holds a tab or a line end. */
    public boolean storable() {
        return plain(messageId) && plain(spoolMessageId) && plain(tenant) && (from == null || plain(from)) && plain(recipient)
                && recipientIndex >= 0;
    }

    /** The delivery a {@link #line()} holds, or empty for anything else. */
    public static Optional<SentDelivery> parse(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != FIELDS || f[0].isEmpty() || f[1].isEmpty() || f[3].isEmpty() || f[5].isEmpty()) {
            return Optional.empty();
        }
        int index;
        try {
            index = Integer.parseInt(f[2]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return index < 0 ? Optional.empty() : Optional.of(new SentDelivery(f[0], f[1], index, f[3], f[4].isEmpty() ? null : f[4], f[5]));
    }

    private static boolean plain(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r') {
                return false;
            }
        }
        return true;
    }
}
