package io.sluice.daemon.operate.ctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code sluicectl top}: live rates, per second, from two scrapes of the {@code /prometheus}
 * counters an interval apart (received, delivered/deferred/bounced per provider), with the queue
 * gauges. Refreshes until interrupted; {@code --once} prints one screen and exits.
 */
@Command(name = "top", description = "Live rates from the /prometheus counters, refreshed every interval.")
final class TopCommand implements Callable<Integer> {
    @Mixin Connection c;
    @Spec CommandLine.Model.CommandSpec spec;
    @Option(names = "--interval", description = "Seconds between scrapes (default ${DEFAULT-VALUE}).", defaultValue = "2")
    double interval;
    @Option(names = "--once", description = "One screen, then exit.")
    boolean once;

    private static final String DELIVERIES = "sluice_deliveries_total";

    @Override
    public Integer call() throws InterruptedException {
        if (interval <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--interval must be positive");
        }
        AdminClient client = c.client();
        PrintWriter out = spec.commandLine().getOut();
        PrometheusSample before = scrape(client);
        while (true) {
            Thread.sleep((long) (interval * 1000));
            PrometheusSample after = scrape(client);
            if (!once && !c.json) {
                out.print("\033[H\033[2J");
            }
            print(out, before, after);
            out.flush();
            if (once) {
                return 0;
            }
            before = after;
        }
    }

    private static PrometheusSample scrape(AdminClient client) {
        return PrometheusSample.parse(AdminClient.ok(client.send("GET", "/prometheus", null, null)).body(), System.nanoTime());
    }

    private void print(PrintWriter out, PrometheusSample a, PrometheusSample b) {
        double seconds = Math.max(1e-3, (b.atNanos() - a.atNanos()) / 1e9);
        double received = rate(a.total("sluice_messages_received_total"), b.total("sluice_messages_received_total"), seconds);
        Map<String, double[]> byProvider = new TreeMap<>();
        Map<String, Double> before = a.sum(DELIVERIES, l -> l.getOrDefault("provider", "-") + "\t" + l.getOrDefault("outcome", "-"));
        b.sum(DELIVERIES, l -> l.getOrDefault("provider", "-") + "\t" + l.getOrDefault("outcome", "-")).forEach((k, v) -> {
            String[] parts = k.split("\t", 2);
            double[] row = byProvider.computeIfAbsent(parts[0], p -> new double[5]);
            double r = rate(before.getOrDefault(k, 0.0), v, seconds);
            int col = switch (parts[1]) {
                case "delivered" -> 0;
                case "deferred" -> 1;
                case "bounced" -> 2;
                case "expired" -> 3;
                default -> 4;
            };
            row[col] += r;
        });
        double[] total = new double[5];
        byProvider.values().forEach(r -> {
            for (int i = 0; i < 5; i++) {
                total[i] += r[i];
            }
        });
        if (c.json) {
            ObjectNode n = AdminClient.JSON.createObjectNode();
            n.put("intervalSeconds", seconds);
            n.put("receivedPerSecond", received);
            n.put("deliveredPerSecond", total[0]);
            n.put("deferredPerSecond", total[1]);
            n.put("bouncedPerSecond", total[2]);
            n.put("expiredPerSecond", total[3]);
            ObjectNode providers = n.putObject("providers");
            byProvider.forEach((p, r) -> {
                ObjectNode e = providers.putObject(p);
                e.put("delivered", r[0]);
                e.put("deferred", r[1]);
                e.put("bounced", r[2]);
                e.put("expired", r[3]);
            });
            for (String gauge : List.of("sluice_queue_scheduled", "sluice_queue_timers", "sluice_queue_ready",
                    "sluice_connections_outbound", "sluice_spool_live_messages", "sluice_spool_live_deliveries")) {
                n.put(gauge, b.total(gauge));
            }
            c.printJson(out, n);
            return;
        }
        out.printf("received %.1f/s   delivered %.1f/s   deferred %.1f/s   bounced %.1f/s   expired %.1f/s   (over %.1fs)%n",
                received, total[0], total[1], total[2], total[3], seconds);
        out.printf("queue: scheduled %.0f  timers %.0f  ready %.0f  connections %.0f  spool: %.0f messages, %.0f deliveries%n%n",
                b.total("sluice_queue_scheduled"), b.total("sluice_queue_timers"), b.total("sluice_queue_ready"),
                b.total("sluice_connections_outbound"), b.total("sluice_spool_live_messages"),
                b.total("sluice_spool_live_deliveries"));
        List<List<String>> rows = new ArrayList<>(List.of(List.of("PROVIDER", "DELIVERED/S", "DEFERRED/S", "BOUNCED/S", "EXPIRED/S")));
        byProvider.forEach((p, r) -> rows.add(List.of(p, fmt(r[0]), fmt(r[1]), fmt(r[2]), fmt(r[3]))));
        Connection.table(out, rows);
    }

    private static double rate(double before, double after, double seconds) {
        return Math.max(0, after - before) / seconds;
    }

    private static String fmt(double v) {
        return String.format("%.1f", v);
    }
}
