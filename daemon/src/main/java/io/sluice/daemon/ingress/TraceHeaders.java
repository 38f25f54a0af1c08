package io.sluice.daemon.ingress;

import io.sluice.queue.MessagePieces;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds the message as spooled: our {@code Received:} field on top (RFC 5321 §4.4), the
 * original header section, {@code Date:} and {@code Message-ID:} when the client left them
 * out (RFC 5322 §3.6 requires Date; Message-ID is what every tracker keys on), then the body.
 * The result is a list of pieces for the spool ({@link MessagePieces}): the body is copied once,
 * into the spool record.
 */
public final class TraceHeaders {
    /** RFC 5322 date-time with a numeric zone, in English whatever the JVM locale. */
    public static final DateTimeFormatter RFC5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);

    private final String hostname;
    /** The last date written, reused within its second: formatting one cost ~1 KB of garbage per message. */
    private volatile FormattedDate lastDate = new FormattedDate(Long.MIN_VALUE, null, "");

    private record FormattedDate(long epochSecond, ZoneOffset offset, String text) {
    }

    public TraceHeaders(String hostname) {
        this.hostname = hostname;
    }

    /**
     * The message as one new array of the exact size; see {@link #pieces} for the arguments.
     */
    public byte[] assemble(byte[] message, int length, HeaderSection headers, String helo, String clientIp,
                           String protocol, String forRecipient, ZonedDateTime now) {
        return pieces(message, length, headers, helo, clientIp, protocol, forRecipient, now).toArray();
    }

    /**
     * The message as spooled, in pieces over {@code message} (our header, the client's header
     * section, what it left out, the client's body): the spool copies them straight into its
     * record, so the client's bytes are not copied into an array of their own first. The pieces
     * refer to {@code message}, which must not change until the spool has taken them.
     *
     * @param helo        what the client said in HELO/EHLO (may be null)
     * @param clientIp    the client's address literal
     * @param protocol    RFC 3848 keyword: SMTP, ESMTP, ESMTPS, ESMTPA, ESMTPSA, HTTP
     * @param forRecipient the single recipient, or null when there are several (RFC 5321 §4.4:
     *                    naming one of many would leak the others' existence)
     */
    public MessagePieces pieces(byte[] message, int length, HeaderSection headers, String helo, String clientIp,
                                String protocol, String forRecipient, ZonedDateTime now) {
        String date = date(now);
        String from = helo == null || helo.isBlank() ? "unknown" : sanitize(helo);
        byte[] topBytes = forRecipient == null
                ? bytes("Received: from ", from, " ([", clientIp, "])\r\n\tby ", hostname, " (Sluice) with ", protocol,
                        "; ", date, "\r\n")
                : bytes("Received: from ", from, " ([", clientIp, "])\r\n\tby ", hostname, " (Sluice) with ", protocol,
                        "\r\n\tfor <", sanitize(forRecipient), ">; ", date, "\r\n");
        int headerEnd = headers.end();
        MessagePieces out = new MessagePieces().add(topBytes, 0, topBytes.length).add(message, 0, headerEnd);
        // what the client left out; usually nothing, and then nothing is built
        if (!headers.hasDate() || !headers.hasMessageId() || (!headers.hasSeparator() && headerEnd < length)) {
            String missing = (headers.hasDate() ? "" : "Date: " + date + "\r\n")
                    + (headers.hasMessageId() ? "" : "Message-ID: <"
                            + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + '.'
                            + Long.toString(now.toInstant().toEpochMilli(), 36) + '@' + hostname + ">\r\n")
                    // a body that began without the empty line gets one
                    + (!headers.hasSeparator() && headerEnd < length ? "\r\n" : "");
            byte[] missingBytes = missing.getBytes(StandardCharsets.US_ASCII);
            out.add(missingBytes, 0, missingBytes.length);
        }
        return out.add(message, headerEnd, length - headerEnd);
    }

    /**
     * The parts one after another as UTF-8. They are ASCII in practice (sanitised names, an address
     * literal, a date), so they are written straight into one array of their size, without the
     * builder, string and encoded copy per message that were ~0.5 KB of garbage (issue 14); other
     * text goes through one string, as before.
     */
    static byte[] bytes(String... parts) {
        int n = 0;
        for (String p : parts) {
            for (int i = 0; i < p.length(); i++) {
                if (p.charAt(i) >= 0x80) {
                    return String.join("", parts).getBytes(StandardCharsets.UTF_8);
                }
            }
            n += p.length();
        }
        byte[] out = new byte[n];
        int pos = 0;
        for (String p : parts) {
            for (int i = 0; i < p.length(); i++) {
                out[pos++] = (byte) p.charAt(i);
            }
        }
        return out;
    }

    /** {@code now} as RFC 5322 text; the seconds resolution of the format makes one per second enough. */
    private String date(ZonedDateTime now) {
        FormattedDate last = lastDate;
        long second = now.toEpochSecond();
        if (last.epochSecond() == second && now.getOffset().equals(last.offset())) {
            return last.text();
        }
        String text = RFC5322.format(now);
        lastDate = new FormattedDate(second, now.getOffset(), text);
        return text;
    }

    /** Keeps client-supplied text from breaking the header: no CR, LF or other controls. */
    private static String sanitize(String s) {
        if (s.length() <= 255 && isClean(s)) {
            return s; // the usual case: nothing to replace, nothing to build
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && b.length() < 255; i++) {
            char c = s.charAt(i);
            b.append(c < 32 || c == 127 || c == '(' || c == ')' ? '_' : c);
        }
        return b.toString();
    }

    private static boolean isClean(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 32 || c == 127 || c == '(' || c == ')') {
                return false;
            }
        }
        return true;
    }
}
