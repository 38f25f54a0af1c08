package io.sluice.daemon.operate.ctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;

/** The options every command takes: where the daemon is, the admin token, and {@code --json}. */
final class Connection {
    @Option(names = "--url", description = "Base URL of the daemon's HTTP listener (env SLUICE_URL; default ${DEFAULT-VALUE}).",
            defaultValue = "${env:SLUICE_URL:-http://127.0.0.1:8025}")
    String url;

    @Option(names = "--token", description = "Admin bearer token, sluice.admin.token (env SLUICE_ADMIN_TOKEN).",
            defaultValue = "${env:SLUICE_ADMIN_TOKEN}")
    String token;

    @Option(names = "--json", description = "Print the answer as JSON.")
    boolean json;

    AdminClient client() {
        return new AdminClient(url, token);
    }

    void printJson(PrintWriter out, JsonNode node) {
        try {
            out.println(AdminClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prints rows as aligned columns; the first row is the header. */
    static void table(PrintWriter out, List<List<String>> rows) {
        if (rows.size() <= 1) {
            out.println("(none)");
            return;
        }
        int cols = rows.get(0).size();
        int[] width = new int[cols];
        for (List<String> r : rows) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                line.append(c == 0 ? "" : "  ").append(String.format("%-" + width[c] + "s", r.get(c)));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? "-" : v.asText();
    }
}
