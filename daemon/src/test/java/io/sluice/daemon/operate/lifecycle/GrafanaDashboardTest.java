package io.sluice.daemon.operate.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/grafana-dashboard.json is valid JSON and queries only metrics that docs/events.md documents. */
class GrafanaDashboardTest {
    @Test
    void everyPanelQueriesADocumentedMetric() throws Exception {
        Path docs = Path.of("..", "docs");
        JsonNode dashboard = new ObjectMapper().readTree(docs.resolve("grafana-dashboard.json").toFile());
        String events = Files.readString(docs.resolve("events.md"));
        Set<String> used = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertTrue(panel.path("targets").size() > 0, panel.path("title").asText());
            for (JsonNode target : panel.path("targets")) {
                Matcher m = Pattern.compile("sluice_[a-z_]+").matcher(target.path("expr").asText());
                while (m.find()) {
                    used.add(m.group().replaceAll("_(sum|count|bucket)$", ""));
                }
            }
        }
        assertTrue(used.size() >= 10, "metrics used: " + used);
        for (String metric : used) {
            assertTrue(events.contains("`" + metric + "`"), metric + " is not documented in docs/events.md");
        }
    }
}
