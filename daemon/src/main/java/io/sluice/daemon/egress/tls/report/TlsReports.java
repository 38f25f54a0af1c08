package io.sluice.daemon.egress.tls.report;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS-RPT as the rest of the daemon sees it: {@link #record} for every TLS session outcome, and
 * a thread (started by {@link #start}) that syncs the ledger once a second and runs the daily
 * report schedule once a minute.
 */
public final class TlsReports implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TlsReports.class);

    private final TlsReportLedger ledger;
    private final TlsReportSchedule schedule;
    private final boolean enabled;
    private ScheduledExecutorService thread;

    public TlsReports(TlsReportLedger ledger, TlsReportSchedule schedule, boolean enabled) {
        this.ledger = ledger;
        this.schedule = schedule;
        this.enabled = enabled;
    }

    /**
     * Counts one session for the policy domain's report: what the TLS policy resolver calls after
     * every STARTTLS attempt under a policy (and for no-policy-found sessions).
     *
     * @param policyStrings the MTA-STS policy lines or the TLSA records (presentation form)
     * @param result        {@link SessionResult#SUCCESS} or the RFC 8460 result type
     */
    public void record(String policyDomain, PolicyType policyType, List<String> policyStrings, String mxHost,
            SessionResult result) {
        if (enabled) {
            try {
                ledger.record(policyDomain, policyType, policyStrings, mxHost, result);
            } catch (RuntimeException e) {
                // a report count must never fail a delivery (a full disk, a bad name): log and go on
                LOG.warn("TLS-RPT: session for {} not counted: {}", policyDomain, e.getMessage());
            }
        }
    }

    public synchronized void start() {
        if (!enabled || thread != null) {
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tls-report");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::flushQuietly, 1, 1, TimeUnit.SECONDS);
        thread.scheduleWithFixedDelay(this::runQuietly, 5, Duration.ofMinutes(1).toSeconds(), TimeUnit.SECONDS);
    }

    private void flushQuietly() {
        try {
            ledger.flush();
        } catch (RuntimeException e) {
            LOG.warn("TLS-RPT ledger sync failed: {}", e.getMessage());
        }
    }

    private void runQuietly() {
        try {
            TlsReportSchedule.Run run = schedule.runDue();
            if (run.sent() + run.failed() > 0) {
                LOG.info("TLS reports: {} sent, {} failed, {} domains without a TLSRPT record", run.sent(), run.failed(),
                        run.noPolicy());
            }
        } catch (RuntimeException e) {
            LOG.warn("TLS report run failed: {}", e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.shutdownNow();
            try {
                thread.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
        ledger.close();
    }
}
