package io.sluice.daemon.egress.tls.report;

import io.sluice.daemon.egress.tls.TlsReporter;
import io.sluice.daemon.egress.tls.TlsResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TlsReporter} the egress engine calls: each {@link TlsResult} counted in
 * {@link TlsReports} under its policy domain, policy type, policy strings and MX host. Policy and
 * result types map by their RFC 8460 names, which both sides spell the same; a name only one side
 * knows throws at the first use, not silently miscounts. Never throws to its caller.
 */
public final class LedgerReporter implements TlsReporter {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerReporter.class);

    private final TlsReports reports;

    public LedgerReporter(TlsReports reports) {
        this.reports = reports;
    }

    @Override
    public void record(TlsResult result) {
        try {
            reports.record(result.policyDomain(), PolicyType.fromWire(result.policyType().label()),
                    result.policyStrings(), result.receivingMx(), SessionResult.fromWire(result.result().label()));
        } catch (RuntimeException e) {
            LOG.warn("TLS-RPT: result for {} not counted: {}", result.policyDomain(), e.getMessage());
        }
    }
}
