package io.sluice.daemon.operate.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code sluicectl engagement [ADDRESS]}: a recipient's last human open and click
 * ({@code GET /admin/engagement}), or, without an address, the tenant's engaged recipients
 * ({@code /admin/engagement/list}, every page up to {@code --limit}).
 */
@Command(name = "engagement", description = "A recipient's last human open and click of tracked mail, or the "
        + "tenant's engaged recipients (--since / --before an ISO-8601 instant).")
final class EngagementCommand implements Callable<Integer> {
    @Mixin Connection c;
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "ADDRESS", arity = "0..1", description = "A recipient address.")
    String address;

    @Option(names = "--tenant", description = "The tenant (default ${DEFAULT-VALUE}).", defaultValue = "default")
    String tenant;

    @Option(names = "--since", description = "Only recipients active at or after this instant.")
    String since;

    @Option(names = "--before", description = "Only recipients last active before this instant (sunset candidates).")
    String before;

    @Option(names = "--limit", description = "At most this many rows (default ${DEFAULT-VALUE}).", defaultValue = "1000")
    int limit;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (address != null) {
            AdminClient.Answer a = c.client().send("GET", "/admin/engagement?tenant=" + AdminClient.segment(tenant)
                    + "&recipient=" + AdminClient.segment(address), null, null);
            if (a.status() != 404) {
                AdminClient.ok(a);
            }
            JsonNode n = a.json();
            boolean engaged = n.path("engaged").asBoolean();
            if (c.json) {
                c.printJson(out, n);
            } else if (engaged) {
                out.println(Connection.text(n, "recipient") + " (" + Connection.text(n, "tenant") + "): last open "
                        + Connection.text(n, "last_open") + ", last click " + Connection.text(n, "last_click"));
            } else {
                out.println(address + " (" + tenant + "): no human open or click kept");
            }
            return engaged ? 0 : 1; // as suppression show: exit 1 when the thing asked about does not exist
        }
        List<List<String>> rows = new ArrayList<>(List.of(List.of("RECIPIENT", "LAST OPEN", "LAST CLICK")));
        List<JsonNode> all = new ArrayList<>();
        String after = null;
        do {
            StringBuilder path = new StringBuilder("/admin/engagement/list?tenant=").append(AdminClient.segment(tenant))
                    .append("&limit=").append(Math.max(1, Math.min(limit - all.size(), 10_000)));
            if (since != null) {
                path.append("&since=").append(AdminClient.segment(since));
            }
            if (before != null) {
                path.append("&before=").append(AdminClient.segment(before));
            }
            if (after != null) {
                path.append("&after=").append(AdminClient.segment(after));
            }
            JsonNode page = c.client().get(path.toString());
            page.path("recipients").forEach(all::add);
            after = page.path("next").isTextual() ? page.path("next").asText() : null;
        } while (after != null && all.size() < limit);
        if (c.json) {
            c.printJson(out, AdminClient.JSON.valueToTree(all));
            return 0;
        }
        all.forEach(e -> rows.add(List.of(Connection.text(e, "recipient"), Connection.text(e, "last_open"),
                Connection.text(e, "last_click"))));
        Connection.table(out, rows);
        return 0;
    }
}
