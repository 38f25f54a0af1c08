package io.sluice.protocol.bounce;

import io.sluice.protocol.feedback.FeedbackParser;
import io.sluice.protocol.feedback.FeedbackReport;
import io.sluice.protocol.feedback.SesNotification;
import io.sluice.protocol.mime.MimePart;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a mail that arrived at the bounce address (an asynchronous bounce) and says, per
 * recipient, what happened. Stateless apart from its classifier; thread-safe.
 *
 * <p>Order of evidence, most structured first: a complaint report ({@link FeedbackParser}); an
 * Amazon SES JSON notification; an RFC 3464 delivery-status part; then, for the many MTAs that
 * send prose (qmail, Exim, old Sendmail, Exchange, webmail providers), the {@link ProseScanner}
 * heuristics. Auto-replies (RFC 3834) and mail with no bounce evidence are reported as such, so
 * the caller ignores them instead of suppressing someone by mistake.
 */
public final class BounceParser {

    /* Senders of bounces (RFC 5321 §4.5.5 null path is seen as Return-Path: <>). */
    private static final Pattern DAEMON_FROM = Pattern.compile(
            "(?i)(mailer-daemon|mail-daemon|maildaemon|post_?master|mail delivery|delivery subsystem|mail administrator"
                    + "|mailmaster|bounce|returned mail|mail system|nondeliver|non-deliver|mmp@|\\bmta\\b|daemon@)");
    private static final Pattern BOUNCE_SUBJECT = Pattern.compile(
            "(?i)(undeliver|undelivered|not delivered|could not be delivered|delivery status|delivery fail|delivery notification"
                    + "|failure notice|failure delivery|returned mail|mail delivery|non[- ]?delivery|nondeliverable|delivery problem"
                    + "|mail system error|returned to sender|delivery report|warning: could not send|message delayed|delayed mail"
                    + "|permanent error|mail failure|rejected|bounce|mail error|error sending|delivery error|unable to deliver"
                    + "|problem with delivery|delivery has failed|message not delivered|システムからの|配信|返送|メールエラー)");
    private static final Pattern BOUNCE_BODY = Pattern.compile(
            "(?i)(could not be delivered|couldn't be delivered|was not delivered|undeliverable|delivery (has )?failed"
                    + "|permanent (fatal )?error|following (recipient|address)|unable to deliver|delivery to the following"
                    + "|not be delivered|delivery status notification|returned to you|message was rejected|mail delivery failed"
                    + "|requested action not taken|no such user|user unknown|invalid user|\\b[45]\\d\\d[ -][45]\\.\\d{1,3}\\.\\d{1,3}\\b)");
    private static final Pattern AUTO_REPLY_SUBJECT = Pattern.compile(
            "(?i)(out of (the )?office|auto(matic|matische)?[ -]?(reply|response|antwort|responder)|autoreply|vacation"
                    + "|abwesenheit|absence|away from (my|the) (desk|office)|on leave|réponse automatique|respuesta automática)");

    private static final Pattern URL = Pattern.compile("(?i)\\b((?:https?|ftp)://[^/\\s]+)\\S*");
    /* RFC 5321 §4.2.1 multiline replies pasted into prose repeat "550-5.7.1 " mid-sentence. */
    private static final Pattern CONTINUATION = Pattern.compile("(?<=\\S)\\s+[45]\\d\\d[- ][45]\\.\\d{1,3}\\.\\d{1,3}\\s+|(?<=\\S)\\s+[45]\\d\\d-\\s*");

    private static final Pattern HOST = Pattern.compile(
            "(?i)\\bhost\\s+([a-z0-9][a-z0-9.-]+\\.[a-z]{2,})\\.?\\s*\\[|talking to ([a-z0-9][a-z0-9.-]+\\.[a-z]{2,})\\.?:");

    private final BounceClassifier classifier;
    private final FeedbackParser feedback = new FeedbackParser();

    public BounceParser(BounceClassifier classifier) {
        this.classifier = classifier;
    }

    /** A parser over the bundled rules. */
    public BounceParser() {
        this(BounceClassifier.bundled());
    }

    /** Parses raw message bytes. Never throws: malformed or hostile input gives NOT_BOUNCE. */
    public BounceReport parse(byte[] raw) {
        try {
            return parse(MimePart.parse(raw));
        } catch (RuntimeException | StackOverflowError malformed) {
            return BounceReport.notBounce();
        }
    }

    private BounceReport parse(MimePart message) {
        Optional<FeedbackReport> complaint = feedback.parse(message);
        if (complaint.isPresent()) {
            return fromFeedback(complaint.get());
        }
        String format = BounceFormat.of(message);
        MimePart original = MessageParts.original(message);
        byte[] originalHeaders = original == null ? new byte[0] : original.headerBytes();
        String prose = MessageParts.humanText(message);

        SesNotification ses = SesNotification.find(prose);
        if (ses != null) {
            return fromSes(ses, originalHeaders);
        }
        List<DeliveryStatus.Recipient> dsn = DeliveryStatus.recipients(message);
        ProseScanner.Result scanned = ProseScanner.scan(prose, excluded(message));
        if (originalHeaders.length == 0 && scanned.originalHeaders() != null) {
            originalHeaders = scanned.originalHeaders().getBytes(StandardCharsets.UTF_8);
        }
        if (!dsn.isEmpty()) {
            return fromDsn(dsn, scanned, originalHeaders, format, BounceFormat.headerMark(message, format));
        }
        if (!looksLikeBounce(message, prose)) {
            // Checked after the bounce evidence: Postfix and others mark their bounces auto-replied too.
            if (isAutoReply(message)) {
                String author = MessageParts.address(message.header("From"));
                Classification c = BounceClassifier.verdict(BounceReason.VACATION, 0, null);
                return new BounceReport(BounceReport.Kind.AUTO_REPLY,
                        List.of(new BouncedRecipient(author, "delivered", "", null, new Classification(c.category(), c.reason(), false, null, 0))),
                        originalHeaders, null);
            }
            return BounceReport.notBounce();
        }
        return fromProse(message, original, scanned, originalHeaders, format, BounceFormat.headerMark(message, format));
    }

    private BounceReport fromFeedback(FeedbackReport report) {
        List<BouncedRecipient> out = new ArrayList<>();
        Classification c = new Classification(BounceReason.FEEDBACK.category(), BounceReason.FEEDBACK.sisimai(), false, null, 0);
        List<String> rcpts = report.recipients();
        if (rcpts.isEmpty()) {
            rcpts = new ArrayList<>();
            rcpts.add(null);
        }
        for (String r : rcpts) {
            out.add(new BouncedRecipient(r, "delivered", report.feedbackType(), null, c));
        }
        return new BounceReport(BounceReport.Kind.FEEDBACK, out, report.originalHeaders(), report);
    }

    private BounceReport fromSes(SesNotification ses, byte[] originalHeaders) {
        List<BouncedRecipient> out = new ArrayList<>();
        for (SesNotification.Recipient r : ses.recipients()) {
            String action = r.action() == null ? "failed" : r.action().toLowerCase(Locale.ROOT);
            Classification c;
            if (ses.type().equals("Delivery")) {
                c = BounceClassifier.verdict(BounceReason.DELIVERED, 250, r.status());
            } else if ("Suppressed".equalsIgnoreCase(ses.subType()) || "OnAccountSuppressionList".equalsIgnoreCase(ses.subType())) {
                // SES refused to send because the address is on its suppression list: no remote verdict.
                c = BounceClassifier.verdict(BounceReason.SUPPRESSED, 0, r.status());
            } else {
                Diagnostic d = Diagnostic.of(r.diagnostic());
                c = classifier.classify(d.code(), r.status(), d.text());
            }
            out.add(new BouncedRecipient(r.address(), action, r.diagnostic() == null ? "" : r.diagnostic(), null, c));
        }
        return new BounceReport(BounceReport.Kind.BOUNCE, out, originalHeaders, null);
    }

    /* mark: a header of the format that decides for every recipient (EZweb's X-SPASIGN), handed to the rules with each one's words */
    private BounceReport fromDsn(List<DeliveryStatus.Recipient> dsn, ProseScanner.Result scanned, byte[] originalHeaders, String format,
                                 String mark) {
        List<BouncedRecipient> out = new ArrayList<>();
        for (DeliveryStatus.Recipient r : dsn) {
            String action = r.action();
            Classification c;
            if (action.startsWith("deliver") || action.equals("relayed") || action.equals("expanded")) {
                c = BounceClassifier.verdict(BounceReason.DELIVERED, 250, r.status());
                c = new Classification(c.category(), c.reason(), false, r.status(), c.replyCode());
            } else {
                Diagnostic d = Diagnostic.of(r.diagnostic());
                String text = d.text();
                if (text.isBlank()) {
                    // RFC 3464 makes Diagnostic-Code optional; the human-readable part often says more.
                    text = scanned.diagnosticFor(r.address());
                }
                String status = r.status();
                if (action.equals("delayed") && status != null && status.startsWith("5")) {
                    status = "4" + status.substring(1); // §2.3.3: delayed is never final
                }
                // The prose often names the SMTP command that drew the reply when the DSN does not.
                String stage = text + "\n" + scanned.diagnosticFor(r.address());
                String recipientFormat = format;
                if (r.category() != null) {
                    // PowerMTA's own verdict for this recipient: decided by the [format] rules for it.
                    recipientFormat = BounceFormat.POWERMTA;
                    text = text + "\nX-PowerMTA-BounceCategory: " + r.category();
                }
                if (BounceFormat.SENDGRID.equals(format) && action.equals("expired")) {
                    // SendGrid writes its own "Action: expired" for a message it gave up on; its [format] rule reads it.
                    text = text + "\nAction: expired";
                }
                c = classifyWithFallback(new FailedReply(d.code(), status, text + mark, SmtpCommand.find(stage),
                        remoteHost(r.remoteMta(), stage), action.equals("delayed"), recipientFormat).forRecipient(r.address()),
                        scanned.preamble());
            }
            out.add(new BouncedRecipient(r.address(), action, r.diagnostic() == null ? "" : r.diagnostic(), r.remoteMta(), c));
        }
        return new BounceReport(BounceReport.Kind.BOUNCE, out, originalHeaders, null);
    }

    private BounceReport fromProse(MimePart message, MimePart original, ProseScanner.Result scanned, byte[] originalHeaders, String format,
                                   String mark) {
        List<BouncedRecipient> out = new ArrayList<>();
        List<String> failed = failedRecipients(message);
        if (!failed.isEmpty()) {
            // Exim and Google name the failed recipients in a header: more reliable than any prose.
            for (String a : failed) {
                String text = scanned.diagnosticFor(a);
                if (text.isBlank()) {
                    text = scanned.explanation();
                }
                Diagnostic d = Diagnostic.find(text);
                out.add(new BouncedRecipient(a, "failed", text.strip(), null,
                        classifyWithFallback(prose(d.code(), text + mark, format).forRecipient(a), scanned.preamble())));
            }
            return new BounceReport(BounceReport.Kind.BOUNCE, out, originalHeaders, null);
        }
        for (ProseScanner.Block b : scanned.blocks()) {
            Diagnostic d = Diagnostic.find(b.text());
            out.add(new BouncedRecipient(b.address(), "failed", b.text().strip(), null,
                    classifyWithFallback(prose(d.code(), b.text() + mark, format).forRecipient(b.address()), scanned.preamble())));
        }
        if (out.isEmpty()) {
            // No address in the prose: fall back to whom our original was addressed.
            String to = original == null ? null : MessageParts.address(original.header("To"));
            String text = scanned.preamble();
            Diagnostic d = Diagnostic.find(text);
            out.add(new BouncedRecipient(to, "failed", text.strip(), null, classifyWithFallback(prose(d.code(), text + mark, format), "")));
        }
        return new BounceReport(BounceReport.Kind.BOUNCE, out, originalHeaders, null);
    }

    /* A prose bounce: the command and host are whatever its words name. */
    private static FailedReply prose(int code, String text, String format) {
        SmtpCommand command = SmtpCommand.find(text);
        if (command == SmtpCommand.UNKNOWN && BounceFormat.YAHOO.equals(format) && ADDRESS_IN_REPLY.matcher(afterFirstLine(text)).find()) {
            // Yahoo's bounce prints only what the remote host said; a reply naming the address ("550 5.1.1 <a@b>... User
            // Unknown") answered RCPT TO, as Sisimai::Lhost::Yahoo concludes. The block's first line names the recipient
            // itself, so only the lines below it are read.
            command = SmtpCommand.RCPT;
        }
        return new FailedReply(code, null, text, command, remoteHost(null, text), false, format);
    }

    private static final java.util.regex.Pattern ADDRESS_IN_REPLY = java.util.regex.Pattern.compile("<[^<>\\s]*@[^<>\\s]*>");

    private static String afterFirstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? "" : text.substring(nl + 1);
    }

    /* A block that says only "<addr>:" gets its meaning from the paragraph above it. */
    private Classification classifyWithFallback(FailedReply reply, String context) {
        // Addresses are names, not words: "filtered@example.com" or "no-such-user@" must not match a phrase.
        // The status first: masking folds "550-5.1.1" continuation prefixes away.
        String status = BounceClassifier.preferredStatus(reply.replyCode(), reply.status(), reply.text());
        reply = new FailedReply(reply.replyCode(), status, reply.text(), reply.command(), reply.remoteHost(), reply.delayed(), reply.format(),
                reply.recipientDomain());
        String text = maskAddresses(reply.text());
        // The context's own status, read before masking folds "550 5.1.1" runs away as continuation prefixes.
        String contextStatus = context == null ? null : BounceClassifier.preferredStatus(reply.replyCode(), status, context);
        context = maskAddresses(context);
        Classification c = classifier.classify(withText(reply, reply.replyCode(), text));
        if (reply.format() != null && BounceFormat.READS_GENERAL_PARAGRAPH.contains(reply.format()) && context != null
                && !context.isBlank() && !decidedByFormat(withText(reply, reply.replyCode(), text))) {
            // This format's parser takes the report's general paragraph as each recipient's reason (Sisimai's EZweb
            // and fml parsers): its own lines there decide, as the format rules say; nothing else is read from it here.
            FailedReply withParagraph = withText(reply, reply.replyCode(), text + "\n" + context);
            if (decidedByFormat(withParagraph)) {
                return classifier.classify(withParagraph);
            }
        }
        if (isUndecided(c) && context != null && !context.isBlank()) {
            Diagnostic d = Diagnostic.find(context);
            SmtpCommand command = reply.command() != SmtpCommand.UNKNOWN ? reply.command() : SmtpCommand.find(context);
            FailedReply wider = new FailedReply(reply.replyCode() != 0 ? reply.replyCode() : d.code(),
                    contextStatus != null ? contextStatus : reply.status(),
                    text + "\n" + context, command, reply.remoteHost() != null ? reply.remoteHost() : remoteHost(null, context), reply.delayed(),
                    reply.format(), reply.recipientDomain());
            Classification w = classifier.classify(wider);
            if (!isUndecided(w)) {
                return w;
            }
        }
        return c;
    }

    private boolean decidedByFormat(FailedReply reply) {
        BounceRule by = classifier.explain(reply);
        return by != null && by.stage() == BounceRule.Stage.FORMAT;
    }

    private static FailedReply withText(FailedReply r, int code, String text) {
        return new FailedReply(code, r.status(), text, r.command(), r.remoteHost(), r.delayed(), r.format(), r.recipientDomain());
    }

    /*
     * The refusing host: RFC 3464 Remote-MTA ("dns; mx.example.com"), else the host a transcript
     * names ("host mx.example.com[192.0.2.1] said:", "while talking to mx.example.com.:").
     */
    static String remoteHost(String remoteMta, String text) {
        String h = null;
        if (remoteMta != null && !remoteMta.isBlank()) {
            h = remoteMta.strip().split("[\\s\\[(]", 2)[0];
        } else if (text != null) {
            java.util.regex.Matcher m = HOST.matcher(text.length() > 20_000 ? text.substring(0, 20_000) : text);
            if (m.find()) {
                h = m.group(1) != null ? m.group(1) : m.group(2);
            }
        }
        if (h == null) {
            return null;
        }
        h = h.toLowerCase(Locale.ROOT);
        while (h.endsWith(".") || h.endsWith(":")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.matches("[a-z0-9.-]+\\.[a-z]{2,}") ? h : null;
    }

    private static String maskAddresses(String s) {
        if (s == null) {
            return null;
        }
        // Keep a URL's host (spamhaus.org says a lot), drop its path ("#filtered" says nothing about us).
        String masked = URL.matcher(MessageParts.ADDRESS.matcher(s).replaceAll("address@domain")).replaceAll("$1");
        return CONTINUATION.matcher(masked).replaceAll(" ");
    }

    private static boolean isUndecided(Classification c) {
        return c.reason().equals(BounceReason.UNDEFINED.sisimai()) || c.reason().equals(BounceReason.ON_HOLD.sisimai());
    }

    private static boolean isAutoReply(MimePart m) {
        String auto = m.header("Auto-Submitted");
        if (auto != null && auto.toLowerCase(Locale.ROOT).startsWith("auto-replied")) {
            return true; // RFC 3834 §5.1
        }
        if (m.header("X-Autoreply") != null || m.header("X-Autorespond") != null || m.header("X-Vacation") != null) {
            return true;
        }
        String precedence = m.header("Precedence");
        if (precedence != null && precedence.toLowerCase(Locale.ROOT).contains("auto_reply")) {
            return true;
        }
        String subject = m.decodedHeader("Subject");
        return subject != null && AUTO_REPLY_SUBJECT.matcher(subject).find() && !BOUNCE_SUBJECT.matcher(subject).find();
    }

    private static boolean looksLikeBounce(MimePart m, String prose) {
        String from = m.decodedHeader("From");
        String subject = rawUtf8(m.decodedHeader("Subject"));
        String returnPath = m.header("Return-Path");
        boolean nullSender = returnPath != null && returnPath.replaceAll("\\s", "").equals("<>");
        boolean daemon = from != null && DAEMON_FROM.matcher(from).find();
        boolean bounceSubject = subject != null && BOUNCE_SUBJECT.matcher(subject).find();
        boolean bounceBody = BOUNCE_BODY.matcher(prose.length() > 20_000 ? prose.substring(0, 20_000) : prose).find();
        return (daemon && (bounceSubject || bounceBody)) || (bounceSubject && bounceBody)
                || (nullSender && (bounceSubject || bounceBody)) || (daemon && nullSender);
    }

    /*
     * RFC 6532 lets a header carry raw UTF-8 (a Japanese carrier's "メールエラー通知"); read byte by byte it is mojibake.
     * When the value's characters are all bytes and form valid UTF-8, read them as UTF-8.
     */
    static String rawUtf8(String value) {
        if (value == null || value.chars().allMatch(c -> c < 0x80) || value.chars().anyMatch(c -> c > 0xff)) {
            return value;
        }
        byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return value;
        }
    }

    private static List<String> failedRecipients(MimePart m) {
        List<String> out = new ArrayList<>();
        for (MimePart.Header h : m.headers()) {
            if (h.name().equalsIgnoreCase("X-Failed-Recipients")) {
                java.util.regex.Matcher a = MessageParts.ADDRESS.matcher(h.value());
                while (a.find() && out.size() < 1000) {
                    if (!out.contains(a.group())) {
                        out.add(a.group());
                    }
                }
            }
        }
        return out;
    }

    /* The bounce's own author and addressee (our envelope sender) are never the failed recipient. */
    private static List<String> excluded(MimePart m) {
        List<String> out = new ArrayList<>();
        // Not X-Original-To: some MTAs (DragonFly) put the failed recipient there.
        for (String h : new String[] {"From", "To", "Reply-To", "Return-Path"}) {
            String a = MessageParts.address(m.header(h));
            if (a != null) {
                out.add(a.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }
}
