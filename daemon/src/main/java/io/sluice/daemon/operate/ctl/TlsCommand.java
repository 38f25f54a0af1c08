package io.sluice.daemon.operate.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code sluicectl tls DOMAIN}: the transport-security policy mail to a domain is under now, per MX host, and why. */
@Command(name = "tls", description = "The TLS policy (DANE, MTA-STS, provider rule, opportunistic) mail to DOMAIN "
        + "gets now, per MX host, and why.")
final class TlsCommand implements Callable<Integer> {
    @Mixin Connection c;
    @Spec CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "DOMAIN", description = "A recipient domain.")
    String domain;

    @Override
    public Integer call() {
        JsonNode n = c.client().get("/admin/tls?domain=" + AdminClient.segment(domain));
        PrintWriter out = spec.commandLine().getOut();
        if (c.json) {
            c.printJson(out, n);
            return 0;
        }
        out.println(Connection.text(n, "domain") + ": " + Connection.text(n, "why"));
        out.println("rule: " + Connection.text(n, "rule"));
        if (n.path("excluded").size() > 0) {
            List<String> excluded = new ArrayList<>();
            n.path("excluded").forEach(e -> excluded.add(e.asText()));
            out.println("not used (not in the enforced MTA-STS policy): " + String.join(", ", excluded));
        }
        out.println();
        List<List<String>> rows = new ArrayList<>(List.of(List.of("MX", "POLICY", "TLS", "CERTIFICATE CHECK", "FROM")));
        for (JsonNode h : n.path("hosts")) {
            rows.add(List.of(Connection.text(h, "mxHost"), Connection.text(h, "policy"),
                    h.path("tlsRequired").asBoolean() ? "required" : "optional",
                    Connection.text(h, "authentication"), Connection.text(h, "source")));
        }
        Connection.table(out, rows);
        return 0;
    }
}
