package io.sluice.daemon.operate.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code sluicectl rates}: the deliverability rates over one window ({@code GET /admin/rates}), a
 * row per key, busiest first. A provider without a feedback loop shows "no feed" for complaints.
 * People's opens and clicks stand beside them, machine traffic's apart.
 */
@Command(name = "rates", description = "Deliverability rates per provider, source, tenant and campaign.")
final class RatesCommand implements Callable<Integer> {
    @Mixin Connection c;
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--by", description = "detail (provider x source x tenant x campaign), sender (provider x tenant "
            + "x campaign), source (provider x source) or tenant (provider x tenant); default ${DEFAULT-VALUE}.",
            defaultValue = "detail")
    String by;

    @Option(names = "--window", description = "15m, 1h or 24h (default ${DEFAULT-VALUE}).", defaultValue = "24h")
    String window;

    @Option(names = "--provider", description = "Only this provider.")
    String provider;

    @Option(names = "--tenant", description = "Only this tenant.")
    String tenant;

    @Option(names = "--limit", description = "At most this many rows (default ${DEFAULT-VALUE}).", defaultValue = "50")
    int limit;

    @Override
    public Integer call() {
        if (!List.of("15m", "1h", "24h").contains(window)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--window must be 15m, 1h or 24h, not " + window);
        }
        StringBuilder path = new StringBuilder("/admin/rates?by=").append(enc(by)).append("&limit=").append(limit);
        if (provider != null) {
            path.append("&provider=").append(enc(provider));
        }
        if (tenant != null) {
            path.append("&tenant=").append(enc(tenant));
        }
        JsonNode n = c.client().get(path.toString());
        PrintWriter out = spec.commandLine().getOut();
        if (c.json) {
            c.printJson(out, n);
            return 0;
        }
        List<List<String>> rows = new ArrayList<>(List.of(List.of("PROVIDER", "SOURCE", "TENANT", "CAMPAIGN",
                "ATTEMPTS", "DELIVERED", "DEFERRED", "HARD-BOUNCED", "BLOCKED", "COMPLAINTS", "COMPLAINT-RATE",
                "UNSUBSCRIBES", "OPENS", "CLICKS", "MACHINE-OPENS", "MACHINE-CLICKS")));
        n.path("rows").forEach(r -> {
            JsonNode w = r.path("windows").path(window);
            String rate = Connection.text(w, "complaint_rate");
            rows.add(List.of(Connection.text(r, "provider"), Connection.text(r, "source"), Connection.text(r, "tenant"),
                    Connection.text(r, "campaign"), Connection.text(w, "attempts"), Connection.text(w, "delivered"),
                    Connection.text(w, "deferred"), Connection.text(w, "hard_bounced"), Connection.text(w, "blocked"),
                    Connection.text(w, "complaints"), w.path("complaint_rate").isNumber() ? rate + "%" : rate,
                    Connection.text(w, "unsubscribes"), Connection.text(w, "opens"), Connection.text(w, "clicks"),
                    Connection.text(w, "machine_opens"), Connection.text(w, "machine_clicks")));
        });
        out.println("window " + window + ", by " + by + (n.path("overflowed").asLong() > 0
                ? " (" + n.path("overflowed").asLong() + " signals past the key cap counted under 'other')" : ""));
        Connection.table(out, rows);
        return 0;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
