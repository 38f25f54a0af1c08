package io.sluice.daemon.operate.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sluicectl suppression add|remove|show|import|export} over {@code /admin/suppressions}. */
@Command(name = "suppression", description = "The suppression list (tenant '*' is the global list).",
        subcommands = {SuppressionCommand.Add.class, SuppressionCommand.Remove.class, SuppressionCommand.Show.class,
                SuppressionCommand.Import.class, SuppressionCommand.Export.class})
final class SuppressionCommand extends NeedsSubcommand {
    static final class TenantOption {
        @Option(names = "--tenant", description = "Tenant, or '*' for the global list (default ${DEFAULT-VALUE}).", defaultValue = "default")
        String tenant;
    }

    static String path(String tenant, String address) {
        return "/admin/suppressions/" + AdminClient.segment(tenant) + "/" + AdminClient.segment(address);
    }

    @Command(name = "add", description = "Suppress an address or @domain.")
    static final class Add implements Callable<Integer> {
        @Mixin Connection c;
        @Mixin TenantOption t;
        @Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "ADDRESS") String address;
        @Option(names = "--reason", defaultValue = "manual") String reason;
        @Option(names = "--note") String note;
        @Option(names = "--expires", description = "RFC 3339 time, e.g. 2027-01-01T00:00:00Z.") String expires;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("tenant", t.tenant);
            body.put("address", address);
            body.put("reason", reason);
            if (note != null) {
                body.put("note", note);
            }
            if (expires != null) {
                body.put("expires", expires);
            }
            JsonNode n = c.client().post("/admin/suppressions", body);
            PrintWriter out = spec.commandLine().getOut();
            if (c.json) {
                c.printJson(out, n);
            } else {
                out.println(n.path("unchanged").asBoolean() ? address + " was already suppressed (" + t.tenant + ")"
                        : "suppressed " + address + " (" + t.tenant + ", " + reason + ")");
            }
            return 0;
        }
    }

    @Command(name = "remove", description = "Lift a suppression. Exit 1 when it was not suppressed.")
    static final class Remove implements Callable<Integer> {
        @Mixin Connection c;
        @Mixin TenantOption t;
        @Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "ADDRESS") String address;
        @Option(names = "--note") String note;

        @Override
        public Integer call() {
            String q = note == null ? "" : "?note=" + AdminClient.segment(note);
            JsonNode n = AdminClient.ok(c.client().send("DELETE", path(t.tenant, address) + q, null, null)).json();
            PrintWriter out = spec.commandLine().getOut();
            if (c.json) {
                c.printJson(out, n);
            } else {
                out.println("removed " + address + " (" + t.tenant + ")");
            }
            return 0;
        }
    }

    @Command(name = "show", description = "Whether an address is suppressed, and by which entry; --history for every change. Exit 1 when not suppressed.")
    static final class Show implements Callable<Integer> {
        @Mixin Connection c;
        @Mixin TenantOption t;
        @Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "ADDRESS") String address;
        @Option(names = "--history", description = "Every add and remove ever made, newest first.") boolean history;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (history) {
                JsonNode h = c.client().get(path(t.tenant, address) + "/history");
                if (c.json) {
                    c.printJson(out, h);
                } else {
                    java.util.List<java.util.List<String>> rows = new java.util.ArrayList<>(java.util.List.of(
                            java.util.List.of("AT", "ACTION", "TENANT", "ADDRESS", "REASON", "SOURCE", "NOTE")));
                    h.forEach(e -> rows.add(java.util.List.of(Connection.text(e, "at"), Connection.text(e, "action"),
                            Connection.text(e, "tenant"), Connection.text(e, "address"), Connection.text(e, "reason"),
                            Connection.text(e, "source"), Connection.text(e, "note"))));
                    Connection.table(out, rows);
                }
                return 0;
            }
            AdminClient.Answer a = c.client().send("GET", path(t.tenant, address), null, null);
            if (a.status() != 404) {
                AdminClient.ok(a);
            }
            JsonNode n = a.json();
            boolean suppressed = n.path("suppressed").asBoolean();
            if (c.json) {
                c.printJson(out, n);
            } else if (suppressed) {
                JsonNode e = n.path("entry");
                out.println(address + " is suppressed by " + Connection.text(e, "address") + " (tenant " + Connection.text(e, "tenant")
                        + ", reason " + Connection.text(e, "reason") + ", source " + Connection.text(e, "source")
                        + ", added " + Connection.text(e, "added") + ", expires " + Connection.text(e, "expires") + ")");
            } else {
                out.println(address + " is not suppressed (" + t.tenant + ")");
            }
            return suppressed ? 0 : CtlException.REFUSED;
        }
    }

    @Command(name = "import", description = "Import a CSV file ('-' for standard input); see docs/api.md for the columns.")
    static final class Import implements Callable<Integer> {
        @Mixin Connection c;
        @Option(names = "--tenant", description = "Tenant for rows without one (default: the server's).") String tenant;
        @Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "FILE") String file;

        @Override
        public Integer call() throws IOException {
            String csv = "-".equals(file) ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file), StandardCharsets.UTF_8);
            String q = tenant == null ? "" : "?tenant=" + AdminClient.segment(tenant);
            JsonNode n = AdminClient.ok(c.client().send("POST", "/admin/suppressions/import" + q, "text/csv", csv)).json();
            PrintWriter out = spec.commandLine().getOut();
            if (c.json) {
                c.printJson(out, n);
            } else {
                out.println("imported " + n.path("imported").asLong() + ", unchanged " + n.path("unchanged").asLong()
                        + ", rejected " + n.path("rejected").asLong());
                n.path("errors").forEach(e -> out.println("  " + e.asText()));
            }
            return n.path("rejected").asLong() > 0 ? CtlException.REFUSED : 0;
        }
    }

    @Command(name = "export", description = "Every entry in force as CSV (tenant,address,reason,expires,source,note,added).")
    static final class Export implements Callable<Integer> {
        @Mixin Connection c;
        @Option(names = "--tenant", description = "Only this tenant.") String tenant;
        @Option(names = {"-o", "--output"}, description = "Write to this file instead of standard output.") Path output;
        @Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            String q = tenant == null ? "" : "?tenant=" + AdminClient.segment(tenant);
            String csv = AdminClient.ok(c.client().send("GET", "/admin/suppressions/export" + q, null, null)).body();
            PrintWriter out = spec.commandLine().getOut();
            if (c.json) {
                var rows = AdminClient.JSON.createArrayNode();
                String[] lines = csv.split("\r?\n");
                String[] header = lines.length > 0 ? lines[0].split(",", -1) : new String[0];
                for (int i = 1; i < lines.length; i++) {
                    if (lines[i].isBlank()) {
                        continue;
                    }
                    String[] cells = Csv.split(lines[i]);
                    var row = rows.addObject();
                    for (int k = 0; k < header.length && k < cells.length; k++) {
                        row.put(header[k], cells[k]);
                    }
                }
                c.printJson(out, rows);
            } else if (output != null) {
                Files.writeString(output, csv, StandardCharsets.UTF_8);
            } else {
                out.print(csv);
                out.flush();
            }
            return 0;
        }
    }

    /** Just enough CSV (RFC 4180 quotes) to turn an export row into cells for --json. */
    static final class Csv {
        static String[] split(String line) {
            java.util.List<String> cells = new java.util.ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char ch = line.charAt(i);
                if (quoted) {
                    if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else if (ch == '"') {
                        quoted = false;
                    } else {
                        cell.append(ch);
                    }
                } else if (ch == '"') {
                    quoted = true;
                } else if (ch == ',') {
                    cells.add(cell.toString());
                    cell.setLength(0);
                } else {
                    cell.append(ch);
                }
            }
            cells.add(cell.toString());
            return cells.toArray(String[]::new);
        }
    }
}
