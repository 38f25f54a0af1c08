package io.sluice.daemon.egress.tls.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;

/**
 * One aggregate report, ready to send: the RFC 8460 §4.4 JSON and what the transports need.
 *
 * @param policyDomain the domain reported on (TLS-Report-Domain)
 * @param submitter    who reports (TLS-Report-Submitter, the file name's first part)
 * @param reportId     unique per node, day and domain; the same again when a send is retried
 * @param start        the first instant of the UTC day covered
 * @param end          the last second of that day (end-datetime, 23:59:59Z)
 * @param json         the report's JSON, UTF-8
 */
public record TlsReport(String policyDomain, String submitter, String reportId, Instant start, Instant end,
        byte[] json) {

    /** The JSON, gzipped: the body of both transports (application/tlsrpt+gzip). */
    public byte[] gzipped() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * RFC 8460 §5.3: {@code submitter!policy-domain!begin!end!unique-id.json.gz}, times in seconds
     * since the epoch. The unique id is this report's id with the characters a file name should
     * not carry replaced.
     */
    public String fileName() {
        return submitter + "!" + policyDomain + "!" + start.getEpochSecond() + "!" + end.getEpochSecond() + "!"
                + reportId.replaceAll("[^A-Za-z0-9._-]", "_") + ".json.gz";
    }
}
