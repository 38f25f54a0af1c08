package io.sluice.daemon.operate.events;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.WebhookSettings;
import io.sluice.queue.FreeSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 18 item 13: credentials in the webhook URL appear in no log line and no config error. */
class WebhookRedactionTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void anUnreachableWebhookIsLoggedWithoutItsCredentials() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // closed again: connections are refused
        }
        String url = "http://hook-user:s3cret-pass@127.0.0.1:" + closedPort + "/events?token=t0ps3cret&batch=1";
        Logger logger = (Logger) LoggerFactory.getLogger(WebhookShipper.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        EventFiles files = new EventFiles(dir.resolve("events.jsonl"), 1 << 20, Duration.ofDays(1), 10,
                Clock.fixed(T0, ZoneOffset.UTC));
        EventLog log = new EventLog(files, (e, out) -> out.write((e.type() + " " + e.id()).getBytes(StandardCharsets.UTF_8)), 100,
                Duration.ofMillis(5), Duration.ofMillis(20), FreeSpace.measuredBy(() -> Long.MAX_VALUE, 0));
        WebhookShipper shipper = new WebhookShipper(new WebhookSettings(url, "", 10, Duration.ofSeconds(2),
                Duration.ofSeconds(1)), log);
        try {
            log.publish(Event.reception(T0, "m1", "a@sluice.test", List.of("b@example.test"), 10, null, null));
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (captured.list.stream().noneMatch(e -> e.getFormattedMessage().contains("unreachable"))
                    && System.nanoTime() < until) {
                Thread.sleep(50);
            }
        } finally {
            shipper.close();
            log.close();
            logger.detachAppender(captured);
        }
        List<String> lines = captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertTrue(lines.stream().anyMatch(l -> l.contains("unreachable") && l.contains("127.0.0.1:" + closedPort + "/events")),
                "the failure is logged with where it went: " + lines);
        assertTrue(lines.stream().noneMatch(l -> l.contains("s3cret-pass") || l.contains("t0ps3cret") || l.contains("hook-user")),
                "no credential in " + lines);
    }

    @Test
    void aBadWebhookUrlIsNamedWithoutItsCredentials() throws Exception {
        EventFiles files = new EventFiles(dir.resolve("events.jsonl"), 1 << 20, Duration.ofDays(1), 10,
                Clock.fixed(T0, ZoneOffset.UTC));
        EventLog log = new EventLog(files, (e, out) -> { }, 10, Duration.ofMillis(5), Duration.ofMillis(20),
                FreeSpace.measuredBy(() -> Long.MAX_VALUE, 0));
        try {
            ConfigException e = assertThrows(ConfigException.class, () -> new WebhookShipper(new WebhookSettings(
                    "http://user:s3cret-pass@host/a b?key=k3y", "", 10, Duration.ofSeconds(2), Duration.ofSeconds(1)), log));
            assertTrue(e.getMessage().contains("sluice.events.webhook.url"), e.getMessage());
            assertFalse(e.getMessage().contains("s3cret-pass") || e.getMessage().contains("k3y"), e.getMessage());
        } finally {
            log.close();
        }
    }
}
