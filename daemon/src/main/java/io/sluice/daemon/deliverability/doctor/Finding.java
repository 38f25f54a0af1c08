package io.sluice.daemon.deliverability.doctor;

import io.micronaut.serde.annotation.Serdeable;
import java.util.Objects;

/**
 * One line of the doctor's report.
 *
 * @param check   which check ({@code spf}, {@code dkim}, {@code dmarc}, {@code dmarc-policy},
 *                {@code dmarc-rua}, {@code alignment}, {@code fcrdns}, {@code ehlo}, {@code bounce-mx},
 *                {@code mta-sts}, {@code tls-rpt}, {@code dnsbl}, {@code source-address})
 * @param subject what was checked: a domain, a domain and a source, a selector, a zone
 * @param detail  what was found, in words
 * @param fix     what to do about it, in words; empty when nothing needs doing
 * @param source  for checks of one source (fcrdns, ehlo, dnsbl, source-address, spf): its name; else null
 */
@Serdeable
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record Finding(String check, String subject, Verdict verdict, String detail, String fix, String source) {
    public Finding {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(detail, "detail");
        fix = fix == null ? "" : fix;
    }

    public Finding(String check, String subject, Verdict verdict, String detail, String fix) {
        this(check, subject, verdict, detail, fix, null);
    }

    /** The same finding marked as being about one source. */
    Finding about(SendingSetup.SourceAddress s) {
        return new Finding(check, subject, verdict, detail, fix, s.name());
    }

    static Finding pass(String check, String subject, String detail) {
        return new Finding(check, subject, Verdict.PASS, detail, "");
    }

    static Finding of(String check, String subject, Verdict verdict, String detail, String fix) {
        return new Finding(check, subject, verdict, detail, fix);
    }

    /** {@code fail  spf  example.com 192.0.2.1  detail — fix: ...}, one line. */
    public String line() {
        String text = String.format("%-7s %-14s %-40s %s", verdict.word(), check, subject, detail);
        return fix.isEmpty() ? text : text + " — fix: " + fix;
    }
}
