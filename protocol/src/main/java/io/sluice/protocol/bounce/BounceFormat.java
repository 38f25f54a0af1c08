package io.sluice.protocol.bounce;

import io.sluice.protocol.mime.MimePart;

import java.util.List;
import java.util.Locale;

/**
 * Which MTA wrote a bounce, recognised by the header marks each one leaves (the marks Sisimai's
 * per-MTA parsers, {@code lib/Sisimai/Lhost/*.pm}, look for). The name keys the {@code [format]}
 * section of the rules file, where that MTA's own decisions live as data: its error-code table,
 * its fixed lines. Only formats with such decisions are recognised; any other bounce has none.
 *
 * <ul>
 *   <li>{@code exchange2003}: Exchange 5.5–2003 (its Internet Mail Service): an
 *       {@code X-MS-Embedded-Report} header, {@code X-Mailer: Internet Mail Service (…)} or
 *       {@code Microsoft Exchange Server Internet Mail Connector…}, {@code X-MimeOLE: Produced By
 *       Microsoft Exchange…}, or a {@code Received: … with Internet Mail Service (…)}.</li>
 *   <li>{@code imail}: Ipswitch IMail: {@code X-Mailer: <SMTP32 v…>}, or the subject
 *       "Undeliverable Mail" alone (other MTAs add a colon and the original subject).</li>
 *   <li>{@code notes}: Lotus Notes / Domino's SMTP MTA: the subject "Undeliverable message".</li>
 *   <li>{@code googlegroups}: a Google Groups refusal: from {@code mailer-daemon@googlemail.com},
 *       a "Delivery Status Notification" subject, {@code X-Failed-Recipients} and
 *       {@code X-Google-Smtp-Source}.</li>
 *   <li>{@code exim}: Exim's bounce, by two of: a From that begins "Mail Delivery System", Exim's
 *       message-id form ({@code <XXXXXXX-XXXXXX-XX@…>}), a subject Exim writes ("Mail delivery failed",
 *       "Warning: message … delayed", "Mail failure", "Message frozen", "error(s) in forwarding or filtering").</li>
 *   <li>{@code powermta}: a PowerMTA report whose recipient carries {@code X-PowerMTA-BounceCategory}
 *       (set per recipient by {@link BounceParser}, not from the headers).</li>
 *   <li>{@code qmail}: qmail's bounce (qmail-send): the subject "failure notice", or a
 *       {@code Received: (qmail N invoked for bounce)} / {@code (qmail N invoked from network)}.</li>
 * </ul>
 */
public final class BounceFormat {

    public static final String EXCHANGE2003 = "exchange2003";
    public static final String IMAIL = "imail";
    public static final String NOTES = "notes";
    public static final String GOOGLEGROUPS = "googlegroups";
    public static final String QMAIL = "qmail";
    public static final String EXIM = "exim";
    public static final String POWERMTA = "powermta";

    private static final java.util.regex.Pattern EXIM_ID = java.util.regex.Pattern.compile("^<?\\w{6,7}-\\w{6}-\\w{2,4}@");
    private static final java.util.regex.Pattern EXIM_SUBJECT = java.util.regex.Pattern.compile(
            "Mail delivery failed|Warning: message \\S+ delayed|Mail failure|Message frozen|error\\(s\\) in forwarding or filtering");

    /** The format names a rule may name in {@code format=}. */
    public static final List<String> NAMES = List.of(EXCHANGE2003, IMAIL, NOTES, GOOGLEGROUPS, QMAIL, EXIM, POWERMTA);

    private BounceFormat() {}

    /** The format of this bounce, or null when it is none of {@link #NAMES}. */
    public static String of(MimePart message) {
        String mailer = value(message, "X-Mailer");
        String subject = value(message, "Subject");
        if (message.header("X-MS-Embedded-Report") != null || mailer.startsWith("Internet Mail Service (")
                || mailer.startsWith("Microsoft Exchange Server Internet Mail Connector")
                || value(message, "X-MimeOLE").startsWith("Produced By Microsoft Exchange")) {
            return EXCHANGE2003;
        }
        for (MimePart.Header h : message.headers()) {
            if (h.name().equalsIgnoreCase("Received") && h.value().contains(" with Internet Mail Service (")) {
                return EXCHANGE2003;
            }
        }
        if (mailer.startsWith("<SMTP32 v") || subject.equals("Undeliverable Mail")) {
            return IMAIL;
        }
        if (subject.startsWith("Undeliverable message")) {
            return NOTES;
        }
        if (value(message, "From").toLowerCase(Locale.ROOT).contains("mailer-daemon@googlemail.com")
                && subject.contains("Delivery Status Notification") && message.header("X-Failed-Recipients") != null
                && message.header("X-Google-Smtp-Source") != null) {
            return GOOGLEGROUPS;
        }
        int exim = (value(message, "From").startsWith("Mail Delivery System") ? 1 : 0)
                + (EXIM_ID.matcher(value(message, "Message-ID")).find() ? 1 : 0)
                + (EXIM_SUBJECT.matcher(subject).find() ? 1 : 0);
        if (exim >= 2) {
            return EXIM;
        }
        if (subject.equals("failure notice")) {
            return QMAIL;
        }
        for (MimePart.Header h : message.headers()) {
            if (h.name().equalsIgnoreCase("Received") && h.value().startsWith("(qmail ")
                    && (h.value().contains(" invoked for bounce)") || h.value().contains(" invoked from network)"))) {
                return QMAIL;
            }
        }
        return null;
    }

    private static String value(MimePart m, String name) {
        String v = m.decodedHeader(name);
        return v == null ? "" : v.strip();
    }
}
