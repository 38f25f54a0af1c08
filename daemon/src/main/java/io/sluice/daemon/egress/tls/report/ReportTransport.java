package io.sluice.daemon.egress.tls.report;

import java.io.IOException;
import java.net.URI;

/** Sends a report to one rua address of its scheme ({@code mailto:} or {@code https:}). */
public interface ReportTransport {

    /** The URI scheme this transport sends to. */
    String scheme();

    /** Returns once the report is handed over (spooled, or answered 2xx); throws to be retried. */
    void send(TlsReport report, URI rua) throws IOException;
}
