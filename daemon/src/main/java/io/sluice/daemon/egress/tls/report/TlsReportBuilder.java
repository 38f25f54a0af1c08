package io.sluice.daemon.egress.tls.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the RFC 8460 §4.4 JSON of one day and one policy domain: organization-name,
 * date-range, contact-info, report-id and, per policy, its summary and failure-details.
 *
 * <p>The report id is {@code <day>_<policy-domain>_<node-id>@<submitter>}: unique per node in a
 * cluster (each node reports its own sessions), and stable, so a resent report keeps its id and
 * the receiver can drop the duplicate.
 */
public final class TlsReportBuilder {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private final String organization;
    private final String contact;
    private final String submitter;
    private final String nodeId;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param organization organization-name
     * @param contact      contact-info (an address or URL a receiver can write to)
     * @param submitter    the reporting host name (TLS-Report-Submitter)
     * @param nodeId       this node's id (cluster node id; in a single node, its default)
     */
    public TlsReportBuilder(String organization, String contact, String submitter, String nodeId) {
        this.organization = Objects.requireNonNull(organization, "organization");
        this.contact = Objects.requireNonNull(contact, "contact");
        this.submitter = Objects.requireNonNull(submitter, "submitter");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    }

    public TlsReport build(DayCounts day) {
        Instant start = day.day().atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = day.day().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1);
        String reportId = day.day() + "_" + day.policyDomain() + "_" + nodeId + "@" + submitter;
        ObjectNode root = json.createObjectNode();
        root.put("organization-name", organization);
        ObjectNode range = root.putObject("date-range");
        range.put("start-datetime", UTC.format(start));
        range.put("end-datetime", UTC.format(end));
        root.put("contact-info", contact);
        root.put("report-id", reportId);
        ArrayNode policies = root.putArray("policies");
        for (Map.Entry<ReportedPolicy, Map<SessionResult, Long>> e : day.counts().entrySet()) {
            ReportedPolicy p = e.getKey();
            ObjectNode entry = policies.addObject();
            ObjectNode policy = entry.putObject("policy");
            policy.put("policy-type", p.type().wire());
            if (!p.policyStrings().isEmpty()) {
                ArrayNode strings = policy.putArray("policy-string");
                p.policyStrings().forEach(strings::add);
            }
            policy.put("policy-domain", p.policyDomain());
            if (!p.mxHost().isEmpty()) {
                policy.putArray("mx-host").add(p.mxHost());
            }
            long ok = e.getValue().getOrDefault(SessionResult.SUCCESS, 0L);
            long failed = e.getValue().entrySet().stream().filter(r -> !r.getKey().success())
                    .mapToLong(Map.Entry::getValue).sum();
            ObjectNode summary = entry.putObject("summary");
            summary.put("total-successful-session-count", ok);
            summary.put("total-failure-session-count", failed);
            if (failed > 0) {
                ArrayNode details = entry.putArray("failure-details");
                e.getValue().forEach((result, n) -> {
                    if (!result.success()) {
                        ObjectNode d = details.addObject();
                        d.put("result-type", result.wire());
                        if (!p.mxHost().isEmpty()) {
                            d.put("receiving-mx-hostname", p.mxHost());
                        }
                        d.put("failed-session-count", n);
                    }
                });
            }
        }
        try {
            return new TlsReport(day.policyDomain(), submitter, reportId, start, end,
                    json.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a report of plain values", e);
        }
    }
}
