package io.sluice.daemon.ingress.http;

import io.sluice.daemon.http.InvalidParam;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds the RFC 5322 / MIME message for structured content with Jakarta Mail: encoded words
 * for non-ASCII subjects and display names (RFC 2047), quoted-printable text parts (so 2,000
 * character lines come out as 76-character ones, RFC 2045 §6.7), base64 attachments,
 * {@code multipart/alternative} for text + HTML inside {@code multipart/mixed} when there are
 * attachments. Subject and bodies are Mustache templates (jmustache): values are HTML-escaped in
 * the HTML body only; a missing value renders as empty. Templates are compiled once per request.
 */
final class MessageComposer {
    private static final Session SESSION;

    static {
        Properties p = new Properties();
        p.setProperty("mail.mime.encodefilename", "true");
        SESSION = Session.getInstance(p);
    }

    private final InjectionRequest.Structured content;
    private final Map<String, Object> globals;
    private final String hostname;
    private final Template subject;
    private final Template text;
    private final Template html;
    private final InternetAddress from;
    private final InternetAddress replyTo;
    private final long maxOutputChars;

    /** @throws InvalidRequestException for a template that does not compile or an unusable From */
    MessageComposer(InjectionRequest.Structured content, Map<String, Object> globals, String hostname,
                    long maxOutputChars) throws InvalidRequestException {
        this.content = content;
        this.maxOutputChars = maxOutputChars;
        this.globals = globals;
        this.hostname = hostname;
        List<InvalidParam> faults = new ArrayList<>();
        Mustache.Compiler plain = Mustache.compiler().escapeHTML(false).defaultValue("");
        Mustache.Compiler escaping = Mustache.compiler().escapeHTML(true).defaultValue("");
        this.subject = compile(plain, content.subject(), "content.subject", faults);
        this.text = content.textBody() == null ? null : compile(plain, content.textBody(), "content.text_body", faults);
        this.html = content.htmlBody() == null ? null : compile(escaping, content.htmlBody(), "content.html_body", faults);
        this.from = mailbox(content.from(), "content.from", faults);
        this.replyTo = content.replyTo() == null ? null : mailbox(content.replyTo(), "content.reply_to", faults);
        if (!faults.isEmpty()) {
            throw new InvalidRequestException(faults);
        }
    }

    private static Template compile(Mustache.Compiler compiler, String source, String path, List<InvalidParam> faults) {
        try {
            return compiler.compile(source);
        } catch (MustacheException e) {
            faults.add(new InvalidParam(path, "template does not compile: " + e.getMessage()));
            return null;
        }
    }

    private static InternetAddress mailbox(String value, String path, List<InvalidParam> faults) {
        try {
            InternetAddress parsed = new InternetAddress(value, false);
            // re-create so a non-ASCII display name is written as an RFC 2047 encoded word
            return new InternetAddress(parsed.getAddress(), parsed.getPersonal(), "UTF-8");
        } catch (AddressException | UnsupportedEncodingException e) {
            faults.add(new InvalidParam(path, "not a mailbox such as \"Name <a@example.com>\": " + e.getMessage()));
            return null;
        }
    }

    /**
     * The message for one recipient (or, with {@code recipient == null}, the one message shared
     * by all, addressed "undisclosed-recipients"). Line ends are CRLF.
     */
    byte[] compose(InjectionRequest.Recipient recipient)
            throws MessagingException, IOException, InjectionService.MessageTooLargeException {
        OutputBudget budget = new OutputBudget(maxOutputChars);
        try {
            return compose(recipient, budget);
        } catch (OutputBudget.Spent e) {
            throw new InjectionService.MessageTooLargeException("the templates expand past " + maxOutputChars
                    + " characters; the limit is " + maxOutputChars + " octets (sluice.api.max-message-bytes)");
        } catch (MustacheException e) {
            if (e.getCause() instanceof OutputBudget.Spent) {
                throw new InjectionService.MessageTooLargeException("the templates expand past " + maxOutputChars
                        + " characters; the limit is " + maxOutputChars + " octets (sluice.api.max-message-bytes)");
            }
            throw e;
        }
    }

    private byte[] compose(InjectionRequest.Recipient recipient, OutputBudget budget) throws MessagingException, IOException {
        Map<String, Object> values = new HashMap<>(globals);
        if (recipient != null) {
            values.putAll(recipient.substitutions());
            values.putIfAbsent("email", recipient.email());
            if (recipient.name() != null) {
                values.putIfAbsent("name", recipient.name());
            }
        }
        MimeMessage m = new OwnIdMessage(SESSION, hostname);
        m.setFrom(from);
        if (replyTo != null) {
            m.setReplyTo(new InternetAddress[]{replyTo});
        }
        if (recipient != null) {
            m.setRecipient(MimeMessage.RecipientType.TO,
                    new InternetAddress(recipient.email(), recipient.name(), "UTF-8"));
        } else {
            m.setHeader("To", "undisclosed-recipients:;");
        }
        m.setSubject(oneLine(budget.render(subject, values)), "UTF-8");
        m.setSentDate(new java.util.Date());
        for (Map.Entry<String, String> h : content.headers().entrySet()) {
            m.addHeader(h.getKey(), MimeUtility.fold(h.getKey().length() + 2,
                    MimeUtility.encodeText(h.getValue(), "UTF-8", null)));
        }
        MimeBodyPart body = body(values, budget);
        if (content.attachments().isEmpty()) {
            Object inner = body.getContent();
            if (inner instanceof MimeMultipart mp) {
                m.setContent(mp);
            } else {
                m.setText((String) inner, "UTF-8", subtype(body));
                m.setHeader("Content-Transfer-Encoding", "quoted-printable");
            }
        } else {
            MimeMultipart mixed = new MimeMultipart("mixed");
            mixed.addBodyPart(body);
            for (InjectionRequest.Attachment a : content.attachments()) {
                MimeBodyPart part = new MimeBodyPart();
                part.setDataHandler(new DataHandler(new ByteArrayDataSource(a.data(), a.contentType())));
                part.setFileName(a.fileName());
                part.setDisposition(MimeBodyPart.ATTACHMENT);
                part.setHeader("Content-Transfer-Encoding", "base64");
                mixed.addBodyPart(part);
            }
            m.setContent(mixed);
        }
        m.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        m.writeTo(out);
        return out.toByteArray();
    }

    private MimeBodyPart body(Map<String, Object> values, OutputBudget budget) throws MessagingException {
        MimeBodyPart textPart = text == null ? null : textPart(budget.render(text, values), "plain");
        MimeBodyPart htmlPart = html == null ? null : textPart(budget.render(html, values), "html");
        if (textPart != null && htmlPart != null) {
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(textPart); // RFC 2046 §5.1.4: the richest part last
            alternative.addBodyPart(htmlPart);
            MimeBodyPart wrapper = new MimeBodyPart();
            wrapper.setContent(alternative);
            return wrapper;
        }
        return textPart != null ? textPart : htmlPart;
    }

    private static MimeBodyPart textPart(String s, String subtype) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setText(s, "UTF-8", subtype);
        part.setHeader("Content-Transfer-Encoding", "quoted-printable");
        return part;
    }

    /*
     * From the part's data handler: its Content-Type header is only written by saveChanges, so
     * isMimeType read "text/plain" for every unsaved part and an HTML-only message went out as
     * text/plain (its markup shown as text).
     */
    private static String subtype(MimeBodyPart part) throws MessagingException {
        String type = part.getDataHandler().getContentType();
        return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("text/html") ? "html" : "plain";
    }

    /** A substituted value could carry a line break into a header: fold it to a space. */
    private static String oneLine(String s) {
        return s.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ');
    }

    /**
     * What the templates of one message may still write, in characters (each is at least one
     * octet once encoded, so a message whose templates pass the byte limit in characters is
     * surely too large). Templates write into it and are stopped the moment it is spent, so a
     * template that loops over a large list never builds its whole output (issue 18 item 7).
     */
    private static final class OutputBudget {
        /** Thrown through the template engine once the budget is spent; carries no stack. */
        static final class Spent extends RuntimeException {
            Spent() {
                super("template output past the limit", null, false, false);
            }
        }

        private long left;

        OutputBudget(long chars) {
            this.left = chars;
        }

        String render(Template template, Map<String, Object> values) {
            StringBuilder out = new StringBuilder();
            template.execute(values, new java.io.Writer() {
                @Override
                public void write(char[] buf, int off, int len) {
                    take(len);
                    out.append(buf, off, len);
                }

                @Override
                public void write(String str, int off, int len) {
                    take(len);
                    out.append(str, off, off + len);
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            });
            return out.toString();
        }

        private void take(int chars) {
            left -= chars;
            if (left < 0) {
                throw new Spent();
            }
        }
    }

    /** Jakarta Mail's own Message-ID would ask the OS for the host name; ours uses the configured one. */
    private static final class OwnIdMessage extends MimeMessage {
        private final String hostname;

        OwnIdMessage(Session session, String hostname) {
            super(session);
            this.hostname = hostname;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", "<" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + '.'
                    + Long.toString(System.currentTimeMillis(), 36) + "@" + hostname + ">");
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
