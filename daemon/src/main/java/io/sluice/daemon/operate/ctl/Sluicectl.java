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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code sluicectl}: the operator's command line. Exit codes: 0 ok, 1 the server said no or not
 * found, 2 usage, 3 cannot connect.
 */
@Command(name = "sluicectl", mixinStandardHelpOptions = true, version = "sluicectl 1",
        description = "Operate a running Sluice daemon over its admin HTTP API.",
        subcommands = {QueueCommand.class, Sluicectl.Suspend.class, Sluicectl.Resume.class, Sluicectl.Suspensions.class,
                Sluicectl.Warmup.class, SuppressionCommand.class, Sluicectl.Reload.class, TopCommand.class,
                RatesCommand.class, TlsCommand.class, EngagementCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 the server said no or not found, 2 usage, 3 cannot connect."})
public final class Sluicectl extends NeedsSubcommand {
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line and returns its exit code. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Sluicectl());
        cli.setOut(out).setErr(err);
        withHelp(cli);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof CtlException c) {
                line.getErr().println("sluicectl: " + c.getMessage());
                return c.exitCode();
            }
            line.getErr().println("sluicectl: " + e);
            return CtlException.REFUSED;
        });
        return cli.execute(args);
    }

    /** --help and --version on every subcommand, not only the top one. */
    private static void withHelp(CommandLine cli) {
        cli.getCommandSpec().mixinStandardHelpOptions(true);
        cli.getSubcommands().values().forEach(Sluicectl::withHelp);
    }

    @Command(name = "suspend", description = "Suspend a scope: domain:D, tenant:T, campaign:C, path:SOURCE>SITE, source:SOURCE>PROVIDER, "
            + "tenant:T>PROVIDER, campaign:C>PROVIDER.")
    static final class Suspend implements Callable<Integer> {
        @Mixin Connection c;
        @Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "SCOPE") String scope;
        @Option(names = "--for", description = "How long (e.g. 30m, 2h; default ${DEFAULT-VALUE}).", defaultValue = "1h")
        String duration;

        @Override
        public Integer call() {
            JsonNode n = c.client().post("/admin/suspend", Map.of("scope", scope, "duration", duration));
            PrintWriter out = spec.commandLine().getOut();
            if (c.json) {
                c.printJson(out, n);
            } else {
                out.println("suspended " + Connection.text(n, "scope") + " until " + Connection.text(n, "until"));
            }
            return 0;
        }
    }

    @Command(name = "resume", description = "Lift a suspension. Exit 1 when nothing was suspended.")
    static final class Resume implements Callable<Integer> {
        @Mixin Connection c;
        @Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "SCOPE") String scope;

        @Override
        public Integer call() {
            JsonNode n = c.client().post("/admin/resume", Map.of("scope", scope));
            PrintWriter out = spec.commandLine().getOut();
            boolean resumed = n.path("resumed").asBoolean();
            if (c.json) {
                c.printJson(out, n);
            } else {
                out.println(resumed ? "resumed " + scope : "nothing was suspended for " + scope);
            }
            return resumed ? 0 : CtlException.REFUSED;
        }
    }

    @Command(name = "suspensions", description = "Every suspension in force.")
    static final class Suspensions implements Callable<Integer> {
        @Mixin Connection c;
        @Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            JsonNode n = c.client().get("/admin/suspensions");
            PrintWriter out = spec.commandLine().getOut();
            if (c.json) {
                c.printJson(out, n);
                return 0;
            }
            List<List<String>> rows = new ArrayList<>(List.of(List.of("SCOPE", "UNTIL", "RULE", "REASON")));
            n.forEach(h -> rows.add(List.of(Connection.text(h, "scope"), Connection.text(h, "until"),
                    Connection.text(h, "rule"), Connection.text(h, "reason"))));
            Connection.table(out, rows);
            return 0;
        }
    }

    @Command(name = "warmup", description = "Warm-up progress.", subcommands = Warmup.Status.class)
    static final class Warmup extends NeedsSubcommand {
        @Command(name = "status", description = "Per warming source: schedule, day, sent today and today's cap per provider.")
        static final class Status implements Callable<Integer> {
            @Mixin Connection c;
            @Spec CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                JsonNode n = c.client().get("/admin/warmup");
                PrintWriter out = spec.commandLine().getOut();
                if (c.json) {
                    c.printJson(out, n);
                    return 0;
                }
                List<List<String>> rows = new ArrayList<>(List.of(List.of("SOURCE", "SCHEDULE", "DAY", "STATE", "PROVIDER", "SENT", "CAP")));
                for (JsonNode s : n) {
                    String state = s.path("finished").asBoolean() ? "finished" : s.path("paused").asBoolean() ? "paused" : "warming";
                    Map<String, String> providers = new LinkedHashMap<>();
                    s.path("capToday").fieldNames().forEachRemaining(p -> providers.put(p, p));
                    s.path("sentToday").fieldNames().forEachRemaining(p -> providers.put(p, p));
                    if (providers.isEmpty()) {
                        providers.put("*", "*");
                    }
                    for (String p : providers.keySet()) {
                        rows.add(List.of(Connection.text(s, "source"), Connection.text(s, "schedule"), Connection.text(s, "day"),
                                state, p, s.path("sentToday").path(p).asText("0"), s.path("capToday").path(p).asText("-")));
                    }
                }
                Connection.table(out, rows);
                return 0;
            }
        }
    }

    @Command(name = "reload", description = "Re-read the egress and reply-rule files (all or nothing).")
    static final class Reload implements Callable<Integer> {
        @Mixin Connection c;
        @Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            JsonNode n = c.client().post("/admin/reload", null);
            PrintWriter out = spec.commandLine().getOut();
            if (c.json) {
                c.printJson(out, n);
            } else {
                out.println("reloaded: " + n.path("pools").asInt() + " pools, " + n.path("providers").asInt()
                        + " providers, " + n.path("replies").asInt() + " reply rules");
            }
            return 0;
        }
    }
}
