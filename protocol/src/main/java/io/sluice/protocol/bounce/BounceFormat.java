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
 *   <li>{@code gmail}: Gmail's own (older, prose) bounce: From {@code <mailer-daemon@googlemail.com>} and a
 *       "Delivery Status Notification" subject, when it is not a Google Groups refusal (Sisimai::Lhost::Gmail).</li>
 *   <li>{@code exim}: Exim's bounce, by two of: a From that begins "Mail Delivery System", Exim's
 *       message-id form ({@code <XXXXXXX-XXXXXX-XX@…>}), a subject Exim writes ("Mail delivery failed",
 *       "Warning: message … delayed", "Mail failure", "Message frozen", "error(s) in forwarding or filtering").</li>
 *   <li>{@code powermta}: a PowerMTA report whose recipient carries {@code X-PowerMTA-BounceCategory}
 *       (set per recipient by {@link BounceParser}, not from the headers).</li>
 *   <li>{@code qmail}: qmail's bounce (qmail-send): the subject "failure notice" (or a qmail clone's "Permanent Delivery
 *       Failure", Sisimai::Lhost::X4), or a
 *       {@code Received: (qmail N invoked for bounce)} / {@code (qmail N invoked from network)}.</li>
 *   <li>{@code ezweb}: au (KDDI) EZweb's own bounce, by two of: From {@code Postmaster@ezweb.ne.jp} or
 *       {@code Postmaster@au.com}, the subject "Mail System Error - Returned Mail", a {@code Received} naming
 *       "ezweb.ne.jp (EZweb Mail) with" or ".au.com (", a Message-ID ending in ".ezweb.ne.jp&gt;" or ".au.com&gt;"
 *       (Sisimai::Lhost::EZweb).</li>
 *   <li>{@code fml}: the fml mailing-list manager: an {@code X-MLServer} header, a From of the list's
 *       "-admin@" address and a Message-ID with ".FML" (Sisimai::Lhost::FML).</li>
 *   <li>{@code domino}: IBM Domino: the subject begins "DELIVERY FAILURE:" (Sisimai::Lhost::Domino).</li>
 *   <li>{@code courier}: the Courier MTA: a From "Courier mail server at …", the subjects "NOTICE: mail delivery
 *       status." / "WARNING: delayed mail.", or a Message-ID {@code <courier.HEX.…>} (Sisimai::Lhost::Courier).</li>
 *   <li>{@code biglobe}: BIGLOBE and the ISPs on its system: From {@code postmaster@} one of biglobe.ne.jp,
 *       inacatv.ne.jp, tmtv.ne.jp, ttv.ne.jp and a subject beginning "Returned mail:" (Sisimai::Lhost::Biglobe).</li>
 *   <li>{@code verizon}: Verizon Wireless' gateways: a {@code Received} naming ".vtext.com (" and a From
 *       {@code post_master@vtext.com} or {@code sysadmin@….vzwpix.com} (Sisimai::Lhost::Verizon).</li>
 *   <li>{@code mcafee}: McAfee's e-mail appliance: {@code X-NAI-Header: Modified by McAfee…} and the subject
 *       "Delivery Status" (Sisimai::Lhost::McAfee).</li>
 *   <li>{@code mxlogic}: McAfee SaaS (MX Logic), an Exim derivative: an {@code X-MX-Bounce}, {@code X-MXL-Hash}
 *       or {@code X-MXL-NoteHash} header (Sisimai::Lhost::MXLogic).</li>
 *   <li>{@code office365}: Microsoft 365 / Exchange Online, by two of: a subject with "Undeliverable:" (or its Dutch and
 *       Portuguese forms), the tenant headers it stamps ({@code X-MS-Exchange-Message-Is-Ndr},
 *       {@code X-MS-Exchange-CrossTenant-…}, {@code X-Microsoft-Antispam-PRVS}, …), a {@code Received} or Message-ID of a
 *       {@code *.prod.outlook.com} / {@code *.outbound.protection.outlook.com} host (Sisimai::Lhost::Office365).</li>
 *   <li>{@code exchange2007}: Exchange Server 2007 and later: a subject beginning "Undeliverable:" and a
 *       {@code Content-Language} of a language tag ("en-US") (Sisimai::Lhost::Exchange2007).</li>
 *   <li>{@code einsundeins}: 1&amp;1: a From beginning {@code "Mail Delivery System"} and the subject
 *       "Mail delivery failed: returning message to sender" (Sisimai::Lhost::EinsUndEins).</li>
 *   <li>{@code mailru}: Mail.ru's Exim, by all three of: a From of {@code mailer-daemon@} a mail.ru host, a Message-ID
 *       ending in ".mail.ru&gt;" or "smailru.net&gt;", a subject Exim writes (Sisimai::Lhost::MailRu).</li>
 *   <li>{@code gmx}: GMX and mail.com: an {@code X-GMX-Antispam} header (Sisimai::Lhost::GMX).</li>
 *   <li>{@code zoho}: Zoho Mail: an {@code X-ZohoMail} header (Sisimai::Lhost::Zoho).</li>
 *   <li>{@code aol}: AOL Mail: an {@code X-AOL-IP} header (Sisimai::Lhost::Aol).</li>
 *   <li>{@code mfilter}: Digital Arts m-FILTER: {@code X-Mailer: m-FILTER} and the subject "failure notice", which
 *       would otherwise read as qmail's (Sisimai::Lhost::mFILTER).</li>
 *   <li>{@code amazonworkmail}: Amazon WorkMail: an {@code X-SES-Outgoing} header and {@code X-Original-Mailer} (or
 *       {@code X-Mailer}) "Amazon WorkMail" (Sisimai::Lhost::AmazonWorkMail; it decides by the status alone, no rule).</li>
 *   <li>{@code amazonses}: Amazon SES's own DSN: an {@code X-AWS-Outgoing} or {@code X-SES-Outgoing} header, when it is not
 *       WorkMail's (Sisimai::Lhost::AmazonSES).</li>
 *   <li>{@code sendgrid}: SendGrid: {@code Return-Path: <apps@sendgrid.net>} and the subject "Undelivered Mail Returned to
 *       Sender" (Sisimai::Lhost::SendGrid; its recipient's {@code Action: expired} is handed to the rules by {@link BounceParser}).</li>
 *   <li>{@code yahoo}: Yahoo! Mail's prose bounce: an {@code X-YMailISG} header (Sisimai::Lhost::Yahoo); it decides no
 *       reason, only the command: a reply naming an address answered RCPT TO ({@link BounceParser}).</li>
 * </ul>
 *
 * <p>Each mark is one every bounce of that MTA carries (the header tests of Sisimai's parser for it), never a
 * sample's own text.
 */
public final class BounceFormat {

    public static final String EXCHANGE2003 = "exchange2003";
    public static final String IMAIL = "imail";
    public static final String NOTES = "notes";
    public static final String GOOGLEGROUPS = "googlegroups";
    public static final String QMAIL = "qmail";
    public static final String EXIM = "exim";
    public static final String POWERMTA = "powermta";
    public static final String EZWEB = "ezweb";
    public static final String FML = "fml";
    public static final String DOMINO = "domino";
    public static final String COURIER = "courier";
    public static final String BIGLOBE = "biglobe";
    public static final String VERIZON = "verizon";
    public static final String MCAFEE = "mcafee";
    public static final String MXLOGIC = "mxlogic";
    public static final String EINSUNDEINS = "einsundeins";
    public static final String EXCHANGE2007 = "exchange2007";
    public static final String OFFICE365 = "office365";
    public static final String GMAIL = "gmail";
    public static final String MAILRU = "mailru";
    public static final String GMX = "gmx";
    public static final String ZOHO = "zoho";
    public static final String AOL = "aol";
    public static final String MFILTER = "mfilter";
    public static final String YAHOO = "yahoo";
    public static final String AMAZONSES = "amazonses";
    public static final String AMAZONWORKMAIL = "amazonworkmail";
    public static final String SENDGRID = "sendgrid";

    /*
     * Formats whose parser reads the report's general paragraph as each recipient's reason (EZweb prints "The user(s)
     * account is disabled." above the recipients it concerns, fml the list's refusal, Gmail "Delivery to the following
     * recipient has been delayed"): their [format] rules are tried
     * on the recipient's block together with that paragraph.
     */
    static final java.util.Set<String> READS_GENERAL_PARAGRAPH = java.util.Set.of(EZWEB, FML, GMAIL);

    private static final java.util.regex.Pattern EXIM_ID = java.util.regex.Pattern.compile("^<?\\w{6,7}-\\w{6}-\\w{2,4}@");
    private static final java.util.regex.Pattern EXIM_SUBJECT = java.util.regex.Pattern.compile(
            "Mail delivery failed|Warning: message \\S+ delayed|Delivery Status Notification|Mail failure|Message frozen"
                    + "|error\\(s\\) in forwarding or filtering");
    /* Mail.ru's bounces look like Exim's but are not (Sisimai::Lhost::Exim leaves them to its Mail.ru parser). */
    private static final java.util.regex.Pattern MAILRU_FROM = java.util.regex.Pattern.compile("@\\S+\\.mail\\.ru>?",
            java.util.regex.Pattern.CASE_INSENSITIVE);
    /* The subjects Mail.ru's Exim writes (Sisimai::Lhost::MailRu's third mark). */
    private static final List<String> MAILRU_SUBJECTS = List.of("Delivery Status Notification", "Mail delivery failed", "Mail failure",
            "Message frozen", "Warning: message ", "error(s) in forwarding or filtering");

    /** The format names a rule may name in {@code format=}. */
    public static final List<String> NAMES = List.of(EXCHANGE2003, IMAIL, NOTES, GOOGLEGROUPS, QMAIL, EXIM, POWERMTA, EZWEB, FML,
            DOMINO, COURIER, BIGLOBE, VERIZON, MCAFEE, MXLOGIC, EINSUNDEINS, EXCHANGE2007, OFFICE365, GMAIL,
            MAILRU, GMX, ZOHO, AOL, MFILTER, YAHOO,
            AMAZONSES, AMAZONWORKMAIL, SENDGRID);
    private static final java.util.regex.Pattern OFFICE365_HOST = java.util.regex.Pattern.compile(
            ".+\\.(?:outbound\\.protection|prod)\\.outlook\\.com\\b");
    private static final List<String> OFFICE365_HEADERS = List.of("X-MS-Exchange-Message-Is-Ndr", "X-Microsoft-Antispam-PRVS",
            "X-Exchange-Antispam-Report-Test", "X-Exchange-Antispam-Report-CFA-Test", "X-MS-Exchange-CrossTenant-OriginalArrivalTime",
            "X-MS-Exchange-CrossTenant-FromEntityHeader", "X-MS-Exchange-Transport-CrossTenantHeadersStamped");
    private static final java.util.regex.Pattern LANGUAGE_TAG = java.util.regex.Pattern.compile("^[a-z]{2}(?:-[A-Z]{2})?$");

    private static final java.util.regex.Pattern COURIER_ID = java.util.regex.Pattern.compile("^<courier\\.[0-9A-F]+\\.");
    private static final java.util.regex.Pattern BIGLOBE_FROM = java.util.regex.Pattern.compile(
            "postmaster@[^>\\s]*(?:biglobe|inacatv|tmtv|ttv)\\.ne\\.jp", java.util.regex.Pattern.CASE_INSENSITIVE);

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
        String from = value(message, "From");
        String messageId = value(message, "Message-ID");
        String other = vendorFormat(message, from, subject, messageId);
        if (other != null) {
            return other;
        }
        if (value(message, "From").toLowerCase(Locale.ROOT).contains("mailer-daemon@googlemail.com")
                && subject.contains("Delivery Status Notification") && message.header("X-Failed-Recipients") != null
                && message.header("X-Google-Smtp-Source") != null) {
            return GOOGLEGROUPS;
        }
        if (value(message, "From").contains("<mailer-daemon@googlemail.com>") && subject.contains("Delivery Status Notification")) {
            return GMAIL;
        }
        int exim = (value(message, "From").startsWith("Mail Delivery System") ? 1 : 0)
                + (EXIM_ID.matcher(value(message, "Message-ID")).find() ? 1 : 0)
                + (EXIM_SUBJECT.matcher(subject).find() ? 1 : 0);
        if (exim >= 2 && !MAILRU_FROM.matcher(value(message, "From")).find()) {
            return EXIM;
        }
        if (subject.equals("failure notice") || subject.startsWith("Permanent Delivery Failure")) {
            // the second is a qmail clone's (Sisimai::Lhost::X4), whose decisions are qmail's
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

    /* The formats added from Sisimai's parsers, each by the header tests that parser makes; null when none fits. */
    private static String vendorFormat(MimePart message, String from, String subject, String messageId) {
        int ezweb = (from.contains("Postmaster@ezweb.ne.jp") ? 1 : 0) + (from.contains("Postmaster@au.com") ? 1 : 0)
                + (subject.equals("Mail System Error - Returned Mail") ? 1 : 0)
                + (received(message, "ezweb.ne.jp (EZweb Mail) with") ? 1 : 0) + (received(message, ".au.com (") ? 1 : 0)
                + (messageId.endsWith(".ezweb.ne.jp>") ? 1 : 0) + (messageId.endsWith(".au.com>") ? 1 : 0);
        if (ezweb >= 2) {
            return EZWEB;
        }
        String lowerFrom = from.toLowerCase(Locale.ROOT);
        int mailru = (lowerFrom.contains("mailer-daemon@") && lowerFrom.contains("mail.ru") ? 1 : 0)
                + (messageId.indexOf(".mail.ru>") > 0 || messageId.indexOf("smailru.net>") > 0 ? 1 : 0)
                + (MAILRU_SUBJECTS.stream().anyMatch(subject::contains) ? 1 : 0);
        if (mailru == 3) {
            return MAILRU;
        }
        if (message.header("X-GMX-Antispam") != null) {
            return GMX;
        }
        if (!value(message, "X-ZohoMail").isEmpty()) {
            return ZOHO;
        }
        if (!value(message, "X-AOL-IP").isEmpty()) {
            return AOL;
        }
        if (value(message, "Return-Path").equals("<apps@sendgrid.net>") && subject.equals("Undelivered Mail Returned to Sender")) {
            return SENDGRID;
        }
        String sesOutgoing = value(message, "X-SES-Outgoing");
        String amazonMailer = value(message, "X-Original-Mailer").isEmpty() ? value(message, "X-Mailer") : value(message, "X-Original-Mailer");
        if (!sesOutgoing.isEmpty() && amazonMailer.equals("Amazon WorkMail")) {
            return AMAZONWORKMAIL;
        }
        if ((!sesOutgoing.isEmpty() || !value(message, "X-AWS-Outgoing").isEmpty()) && !value(message, "X-Mailer").contains("Amazon WorkMail")) {
            return AMAZONSES;
        }
        if (!value(message, "X-YMailISG").isEmpty()) {
            return YAHOO;
        }
        if (value(message, "X-Mailer").equals("m-FILTER") && subject.equals("failure notice")) {
            return MFILTER;
        }
        if (message.header("X-MLServer") != null && from.indexOf("-admin@") > 0 && messageId.indexOf(".FML") > 1) {
            return FML;
        }
        if (subject.startsWith("DELIVERY FAILURE:")) {
            return DOMINO;
        }
        if (from.contains("Courier mail server at ") || subject.contains("NOTICE: mail delivery status.")
                || subject.contains("WARNING: delayed mail.") || COURIER_ID.matcher(messageId).find()) {
            return COURIER;
        }
        if (BIGLOBE_FROM.matcher(from).find() && subject.startsWith("Returned mail:")) {
            return BIGLOBE;
        }
        if (received(message, ".vtext.com (") && (from.equals("post_master@vtext.com") || from.contains("<post_master@vtext.com>")
                || (from.contains("sysadmin@") && from.contains(".vzwpix.com")))) {
            return VERIZON;
        }
        if (value(message, "X-NAI-Header").contains("Modified by McAfee") && subject.equals("Delivery Status")) {
            return MCAFEE;
        }
        if (message.header("X-MX-Bounce") != null || message.header("X-MXL-Hash") != null || message.header("X-MXL-NoteHash") != null) {
            return MXLOGIC;
        }
        if (from.startsWith("\"Mail Delivery System\"") && subject.equals("Mail delivery failed: returning message to sender")) {
            return EINSUNDEINS;
        }
        int office365 = (subject.contains("Undeliverable:") || subject.contains("Onbestelbaar:") || subject.contains("Não_entregue:") ? 1 : 0)
                + (OFFICE365_HOST.matcher(messageId).find() ? 1 : 0);
        for (String h : OFFICE365_HEADERS) {
            String v = message.header(h);
            office365 += v != null && !v.isBlank() ? 1 : 0;
        }
        for (MimePart.Header h : message.headers()) {
            if (h.name().equalsIgnoreCase("Received") && OFFICE365_HOST.matcher(h.value()).find()) {
                office365++;
                break;
            }
        }
        if (office365 >= 2) {
            return OFFICE365;
        }
        if (subject.startsWith("Undeliverable:") && LANGUAGE_TAG.matcher(value(message, "Content-Language")).find()) {
            return EXCHANGE2007;
        }
        return null;
    }

    /**
     * A header of this format that decides for every recipient, as a line for the rules ({@code "\nX-SPASIGN: NG"}: EZweb marks
     * a mail its spam filter refused so, Sisimai::Lhost::EZweb), or "" when there is none.
     */
    static String headerMark(MimePart message, String format) {
        if (EZWEB.equals(format) && value(message, "X-SPASIGN").equalsIgnoreCase("NG")) {
            return "\nX-SPASIGN: NG";
        }
        return "";
    }

    private static boolean received(MimePart message, String mark) {
        for (MimePart.Header h : message.headers()) {
            if (h.name().equalsIgnoreCase("Received") && h.value().contains(mark)) {
                return true;
            }
        }
        return false;
    }

    private static String value(MimePart m, String name) {
        String v = m.decodedHeader(name);
        return v == null ? "" : v.strip();
    }
}
