package io.sluice.daemon.operate.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code sluicectl queue summary|inspect}: what waits, grouped, and one message up close. */
@Command(name = "queue", description = "The queue: summary and one message.",
        subcommands = {QueueCommand.Summary.class, QueueCommand.Inspect.class})
final class QueueCommand extends NeedsSubcommand {
    /** The groupings a summary can show: the first four come from scheduled queues, the rest from egress paths. */
    enum By { domain, tenant, campaign, provider, source, site }

    @Command(name = "summary", description = "Waiting deliveries by domain, tenant and campaign (scheduled queues) "
            + "and ready deliveries and connections by provider, source and site (egress paths).")
    static final class Summary implements Callable<Integer> {
        @Mixin Connection c;
        @Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--by", description = "Only this grouping: ${COMPLETION-CANDIDATES}.")
        By by;
        @Option(names = "--limit", description = "Scheduled queues to read (default ${DEFAULT-VALUE}).", defaultValue = "1000")
        int limit;

        @Override
        public Integer call() {
            JsonNode q = c.client().get("/admin/queues?limit=" + limit);
            PrintWriter out = spec.commandLine().getOut();
            List<By> groups = by == null ? List.of(By.values()) : List.of(by);
            if (c.json) {
                ObjectNode n = AdminClient.JSON.createObjectNode();
                n.put("waiting", q.path("waiting").asLong());
                n.put("timers", q.path("timers").asLong());
                n.put("scheduledQueues", q.path("scheduledQueues").asInt());
                for (By g : groups) {
                    ObjectNode group = n.putObject(g.name());
                    group(q, g).forEach((k, v) -> {
                        ObjectNode e = group.putObject(k);
                        e.put(scheduled(g) ? "waiting" : "ready", v[0]);
                        if (!scheduled(g)) {
                            e.put("connections", v[1]);
                        }
                    });
                }
                c.printJson(out, n);
                return 0;
            }
            out.println("waiting " + q.path("waiting").asLong() + " in " + q.path("scheduledQueues").asInt()
                    + " scheduled queues; " + q.path("timers").asLong() + " waiting for a retry");
            for (By g : groups) {
                out.println();
                List<List<String>> rows = new ArrayList<>();
                rows.add(scheduled(g) ? List.of(g.name().toUpperCase(), "WAITING")
                        : List.of(g.name().toUpperCase(), "READY", "CONNECTIONS"));
                group(q, g).forEach((k, v) -> rows.add(scheduled(g) ? List.of(k, Long.toString(v[0]))
                        : List.of(k, Long.toString(v[0]), Long.toString(v[1]))));
                Connection.table(out, rows);
            }
            return 0;
        }

        private static boolean scheduled(By g) {
            return g == By.domain || g == By.tenant || g == By.campaign;
        }

        /** key → {waiting} for scheduled groupings, {ready, connections} for path groupings; largest first. */
        private static Map<String, long[]> group(JsonNode q, By g) {
            Map<String, long[]> sums = new TreeMap<>();
            if (scheduled(g)) {
                for (JsonNode s : q.path("scheduled")) {
                    sums.computeIfAbsent(Connection.text(s, g.name()), k -> new long[2])[0] += s.path("waiting").asLong();
                }
            } else {
                for (JsonNode p : q.path("paths")) {
                    long[] v = sums.computeIfAbsent(Connection.text(p, g.name()), k -> new long[2]);
                    v[0] += p.path("ready").asLong();
                    v[1] += p.path("connections").asLong();
                }
            }
            Map<String, long[]> sorted = new java.util.LinkedHashMap<>();
            sums.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                    .forEach(e -> sorted.put(e.getKey(), e.getValue()));
            return sorted;
        }
    }

    @Command(name = "inspect", description = "One queued message: envelope, size and the recipients still waiting. Exit 1 when not queued.")
    static final class Inspect implements Callable<Integer> {
        @Mixin Connection c;
        @Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "MESSAGE-ID") String id;

        @Override
        public Integer call() {
            JsonNode m = c.client().get("/admin/messages/" + AdminClient.segment(id));
            PrintWriter out = spec.commandLine().getOut();
            if (c.json) {
                c.printJson(out, m);
                return 0;
            }
            out.println("id          " + Connection.text(m, "id"));
            out.println("received    " + Connection.text(m, "receivedAt"));
            out.println("sender      " + Connection.text(m, "sender"));
            out.println("size        " + m.path("sizeBytes").asLong() + " bytes");
            m.path("attributes").fields().forEachRemaining(e -> out.println("attribute   " + e.getKey() + "=" + e.getValue().asText()));
            out.println("recipients  " + m.path("recipients").size() + ", " + m.path("liveDeliveries").size() + " still waiting");
            List<List<String>> rows = new ArrayList<>(List.of(List.of("#", "RECIPIENT", "ATTEMPTS", "NEXT ATTEMPT")));
            for (JsonNode d : m.path("liveDeliveries")) {
                rows.add(List.of(Connection.text(d, "index"), Connection.text(d, "recipient"), Connection.text(d, "attempts"),
                        d.path("nextAttemptAt").isNull() || d.path("nextAttemptAt").isMissingNode() ? "now" : d.path("nextAttemptAt").asText()));
            }
            Connection.table(out, rows);
            return 0;
        }
    }
}
