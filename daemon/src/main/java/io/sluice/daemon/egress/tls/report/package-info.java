/**
 * TLS-RPT (RFC 8460): counting TLS session outcomes per policy domain, policy and result over each
 * UTC day, and sending the daily aggregate report to the domain's {@code rua}.
 *
 * <ul>
 *   <li>{@link io.sluice.daemon.egress.tls.report.TlsReports#record}: the one call the TLS policy
 *       resolver makes per session (policy domain, policy type, policy strings, MX host,
 *       {@link io.sluice.daemon.egress.tls.report.SessionResult}).</li>
 *   <li>{@link io.sluice.daemon.egress.tls.report.TlsReportLedger}: the counts on disk, one
 *       append-only file per day; a killed process loses nothing, a power cut at most the last
 *       second (synced once a second).</li>
 *   <li>{@link io.sluice.daemon.egress.tls.report.TlsReportBuilder}: the §4.4 JSON; report ids
 *       {@code <day>_<domain>_<node-id>@<submitter>}, unique per node and stable on retry.</li>
 *   <li>{@link io.sluice.daemon.egress.tls.report.RuaLookup}: {@code _smtp._tls.<domain>} TXT;
 *       {@link io.sluice.daemon.egress.tls.report.MailReportTransport} (the §5.3 MIME form,
 *       injected through the daemon's own intake so it is DKIM-signed and delivered like other
 *       mail) and {@link io.sluice.daemon.egress.tls.report.HttpsReportTransport} (POST,
 *       application/tlsrpt+gzip).</li>
 *   <li>{@link io.sluice.daemon.egress.tls.report.TlsReportSchedule}: once per UTC day, after
 *       midnight plus a delay, the previous day; retried until reported or given up; time from the
 *       injected clock.</li>
 * </ul>
 * Nothing here reaches into ingress: the mail door is the {@link
 * io.sluice.daemon.egress.tls.report.ReportInjection} the daemon wires to {@code ingress.Intake}.
 */
package io.sluice.daemon.egress.tls.report;
