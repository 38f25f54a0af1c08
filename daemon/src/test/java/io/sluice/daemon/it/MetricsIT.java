package io.sluice.daemon.it;

import io.sluice.protocol.testing.ExternalTool;
import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** After a run, /prometheus agrees with what the sink counted. */
class MetricsIT {

    @Test
    void prometheusCountsMatchTheSink(@TempDir Path dir) throws Exception {
        int messages = 60;
        try (SmtpSink sink = SmtpSink.start();
             DaemonProcess daemon = DaemonProcess.in(dir).set("sluice.smarthost", "127.0.0.1:" + sink.port()).start()) {
            Process source = new ProcessBuilder(ExternalTool.require("smtp-source").toString(), "-s", "3", "-m",
                    String.valueOf(messages), "-f", "m@src.test", "-t", "m@dest.test", "127.0.0.1:" + daemon.smtpPort())
                    .redirectErrorStream(true).start();
            source.getInputStream().readAllBytes();
            assertTrue(source.waitFor(120, TimeUnit.SECONDS));
            int delivered = sink.awaitMessages(messages, Duration.ofSeconds(60)).size();
            daemon.events().await("all deliveries logged", Duration.ofSeconds(20),
                    e -> daemon.events().ofType("Delivery").size() == messages);

            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + daemon.httpPort() + "/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertEquals(delivered, (int) sum(text, "sluice_deliveries_total\\{[^}]*outcome=\"delivered\"[^}]*\\}"));
            assertEquals(messages, (int) sum(text, "sluice_messages_received_total\\{[^}]*\\}"));
            assertEquals(delivered, (int) sum(text, "sluice_delivery_latency_seconds_count"));
            assertTrue(text.contains("sluice_spool_free_bytes"), "spool gauges exported");
            assertTrue(text.contains("sluice_queue_scheduled"), "queue gauges exported");
        }
    }

    private static double sum(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(text);
        double total = 0;
        boolean any = false;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
            any = true;
        }
        assertTrue(any, "no series " + series + " in\n" + text);
        return total;
    }
}
