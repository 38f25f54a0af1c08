package io.sluice.daemon.operate.ctl;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PrometheusSampleTest {
    @Test
    void countersAreSummedByTheLabelsAsked() {
        PrometheusSample s = PrometheusSample.parse("""
                # HELP sluice_deliveries_total deliveries
                # TYPE sluice_deliveries_total counter
                sluice_deliveries_total{category="",outcome="delivered",provider="gmail",source="a"} 5.0
                sluice_deliveries_total{category="",outcome="delivered",provider="gmail",source="b"} 2.0
                sluice_deliveries_total{category="bad-mailbox",outcome="bounced",provider="yahoo",source="a"} 1.0
                sluice_messages_received_total{tenant="a \\"quoted\\" one"} 8.0
                sluice_queue_ready 3.0
                """, 0);
        assertEquals(Map.of("gmail", 7.0, "yahoo", 1.0), s.sum("sluice_deliveries_total", l -> l.get("provider")));
        assertEquals(8.0, s.total("sluice_messages_received_total"));
        assertEquals("a \"quoted\" one", s.series().get(3).labels().get("tenant"));
        assertEquals(3.0, s.total("sluice_queue_ready"));
        assertEquals(0.0, s.total("sluice_absent"));
    }

    @Test
    void exportRowsAreSplitWithQuotes() {
        String[] cells = SuppressionCommand.Csv.split("acme,bob@example.com,manual,,admin,\"said \"\"stop\"\", twice\",2026-11-28");
        assertEquals(7, cells.length);
        assertEquals("said \"stop\", twice", cells[5]);
    }
}
