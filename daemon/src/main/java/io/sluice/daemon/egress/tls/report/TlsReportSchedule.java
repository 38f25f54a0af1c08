package io.sluice.daemon.egress.tls.report;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once per UTC day, after midnight plus a delay, reports the previous day (RFC 8460 §4.1: a
 * report covers one UTC day): for every policy domain in the ledger, looks up its rua, builds
 * the report and sends it to every address it can. A domain counts as reported when at least one
 * address took it, or when it publishes no TLSRPT record; otherwise it is tried again at the next
 * run, until {@code giveUpAfter} past the day's end. A day whose domains are all done is deleted.
 *
 * <p>Time comes from the injected clock only, so tests run a "day" by setting the clock.
 */
public final class TlsReportSchedule {
    private static final Logger LOG = LoggerFactory.getLogger(TlsReportSchedule.class);

    private final TlsReportLedger ledger;
    private final TlsReportBuilder builder;
    private final RuaSource rua;
    private final Map<String, ReportTransport> transports = new HashMap<>();
    private final Clock clock;
    private final Duration delay;
    private final Duration giveUpAfter;

    /** What one run did. */
    public record Run(int sent, int noPolicy, int failed, List<String> problems) {
    }

    public TlsReportSchedule(TlsReportLedger ledger, TlsReportBuilder builder, RuaSource rua,
            List<ReportTransport> transports, Clock clock, Duration delay, Duration giveUpAfter) {
        this.ledger = ledger;
        this.builder = builder;
        this.rua = rua;
        for (ReportTransport t : transports) {
            this.transports.put(t.scheme(), t);
        }
        this.clock = clock;
        this.delay = delay;
        this.giveUpAfter = giveUpAfter;
    }

    /** Reports every finished day that is due; safe to call as often as liked. */
    public Run runDue() {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        int sent = 0;
        int noPolicy = 0;
        int failed = 0;
        List<String> problems = new ArrayList<>();
        for (LocalDate day : ledger.days()) {
            Instant dayEnd = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            if (!day.isBefore(today) || now.isBefore(dayEnd.plus(delay))) {
                continue;
            }
            boolean givingUp = !now.isBefore(dayEnd.plus(giveUpAfter));
            for (DayCounts counts : ledger.countsFor(day)) {
                String domain = counts.policyDomain();
                try {
                    Optional<ReportingPolicy> policy = rua.lookup(domain);
                    if (policy.isEmpty()) {
                        ledger.markReported(day, domain);
                        noPolicy++;
                        continue;
                    }
                    TlsReport report = builder.build(counts);
                    List<String> errors = new ArrayList<>();
                    int delivered = 0;
                    for (URI address : policy.get().rua()) {
                        ReportTransport transport = transports.get(address.getScheme().toLowerCase(Locale.ROOT));
                        if (transport == null) {
                            errors.add(address + ": no transport for its scheme");
                            continue;
                        }
                        try {
                            transport.send(report, address);
                            delivered++;
                        } catch (IOException | RuntimeException e) {
                            errors.add(address + ": " + e.getMessage());
                        }
                    }
                    if (delivered > 0) {
                        ledger.markReported(day, domain);
                        sent++;
                    } else {
                        throw new IOException(String.join("; ", errors));
                    }
                } catch (IOException | RuntimeException e) {
                    failed++;
                    String problem = "TLS report for " + domain + " on " + day + ": " + e.getMessage();
                    problems.add(problem);
                    if (givingUp) {
                        LOG.warn("{}; giving up", problem);
                        ledger.markReported(day, domain);
                    } else {
                        LOG.info("{}; will retry", problem);
                    }
                }
            }
            if (ledger.countsFor(day).isEmpty()) {
                ledger.forget(day);
            }
        }
        return new Run(sent, noPolicy, failed, List.copyOf(problems));
    }
}
