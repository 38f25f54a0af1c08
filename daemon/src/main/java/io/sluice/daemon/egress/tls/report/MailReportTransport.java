package io.sluice.daemon.egress.tls.report;

import io.sluice.queue.Envelope;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Sends a report as mail in the form of RFC 8460 §5.3: a {@code multipart/report;
 * report-type="tlsrpt"} message with a short text part and the gzipped JSON as an
 * {@code application/tlsrpt+gzip} attachment, the {@code TLS-Report-Domain} and
 * {@code TLS-Report-Submitter} header fields, injected through Sluice's own door so it is signed
 * and delivered like any other message.
 */
public final class MailReportTransport implements ReportTransport {
    private final String from;
    private final ReportInjection injection;
    private final Clock clock;

    /** @param from the report's From and envelope sender, e.g. {@code tlsrpt-noreply@sender.example} */
    public MailReportTransport(String from, ReportInjection injection, Clock clock) {
        this.from = Objects.requireNonNull(from, "from");
        this.injection = Objects.requireNonNull(injection, "injection");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String scheme() {
        return "mailto";
    }

    @Override
    public void send(TlsReport report, URI rua) throws IOException {
        String to = recipient(rua);
        injection.inject(new Envelope(from, java.util.List.of(to), clock.instant(), Map.of()), message(report, to));
    }

    /** The mailbox of a {@code mailto:} URI, without any {@code ?header} part. */
    static String recipient(URI rua) {
        String part = rua.getRawSchemeSpecificPart();
        int q = part.indexOf('?');
        String address = URLDecoder.decode(q >= 0 ? part.substring(0, q) : part, StandardCharsets.UTF_8).strip();
        if (address.isEmpty() || address.indexOf('@') <= 0 || address.contains(",")
                || address.chars().anyMatch(c -> c < 0x21 || c == '<' || c == '>')) {
            throw new IllegalArgumentException("not a single mailbox: " + rua);
        }
        return address;
    }

    /** The whole message, CRLF line ends. */
    public byte[] message(TlsReport report, String to) {
        String boundary = "tlsrpt-" + UUID.randomUUID();
        String domainPart = from.substring(from.indexOf('@') + 1);
        StringBuilder m = new StringBuilder();
        header(m, "From", from);
        header(m, "To", to);
        header(m, "Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(clock)));
        header(m, "Subject", "Report Domain: " + report.policyDomain() + " Submitter: " + report.submitter()
                + " Report-ID: <" + report.reportId() + ">");
        header(m, "Message-ID", "<" + UUID.randomUUID() + "@" + domainPart + ">");
        header(m, "TLS-Report-Domain", report.policyDomain());
        header(m, "TLS-Report-Submitter", report.submitter());
        header(m, "MIME-Version", "1.0");
        header(m, "Content-Type", "multipart/report; report-type=\"tlsrpt\";\r\n\tboundary=\"" + boundary + "\"");
        m.append("\r\n");
        m.append("This is a multipart message in MIME format.\r\n\r\n");
        m.append("--").append(boundary).append("\r\n");
        header(m, "Content-Type", "text/plain; charset=us-ascii");
        header(m, "Content-Transfer-Encoding", "7bit");
        m.append("\r\n");
        m.append("This is an aggregate TLS report (RFC 8460) from ").append(report.submitter())
                .append(" for ").append(report.policyDomain()).append(",\r\n")
                .append("covering ").append(report.start()).append(" to ").append(report.end()).append(".\r\n\r\n");
        m.append("--").append(boundary).append("\r\n");
        header(m, "Content-Type", "application/tlsrpt+gzip; name=\"" + report.fileName() + "\"");
        header(m, "Content-Transfer-Encoding", "base64");
        header(m, "Content-Disposition", "attachment; filename=\"" + report.fileName() + "\"");
        m.append("\r\n");
        m.append(Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(report.gzipped())).append("\r\n\r\n");
        m.append("--").append(boundary).append("--\r\n");
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void header(StringBuilder m, String name, String value) {
        m.append(name).append(": ").append(value).append("\r\n");
    }
}
