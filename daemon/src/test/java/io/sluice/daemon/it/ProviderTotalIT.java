package io.sluice.daemon.it;

import io.sluice.protocol.testing.Dnsmasq;
import io.sluice.protocol.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One node, no Redis: a provider's total-message-rate and total-max-connections hold for all its
 * sources together, while each source alone has no rate and more connections than the total.
 */
class ProviderTotalIT {

    @Test
    void aProviderTotalHoldsAcrossTheSourcesOfOneNode(@TempDir Path dir) throws Exception {
        int port = FreePorts.tcp();
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, """
                providers:
                  - name: sink
                    mx-suffixes: [.sink.test]
                    max-connections-per-path: 4
                    max-connections: 4
                    total-message-rate: 10/s
                    total-max-connections: 3
                """);
        Path egress = dir.resolve("egress.yml");
        Files.writeString(egress, """
                default-pool: both
                sources:
                  one: {address: 127.0.0.2}
                  two: {address: 127.0.0.3}
                pools:
                  both: {sources: {one: 1, two: 1}}
                """);
        int n = 60;
        try (CountingSink sink = new CountingSink("127.0.0.53", port, null);
             Dnsmasq dns = Dnsmasq.builder().host("mx.sink.test", "127.0.0.53").mx("dest.test", "mx.sink.test", 10)
                     .start();
             DaemonProcess daemon = DaemonProcess.in(dir.resolve("daemon"))
                     .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                     .set("sluice.delivery.port", port)
                     .set("sluice.egress.file", egress)
                     .set("sluice.egress.rules-file", rules)
                     .start()) {
            for (int i = 0; i < n; i++) { // one message per recipient: one transaction each
                daemon.mail().send(List.of("r" + i + "@dest.test"), "");
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (sink.recipients() < n && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(n, sink.recipients());
            List<Long> times = sink.arrivals.stream().map(CountingSink.Arrival::nanos).sorted().toList();
            double rate = (n - 1) / ((times.get(times.size() - 1) - times.get(0)) / 1e9);
            Map<String, Long> bySource = sink.arrivals.stream().collect(java.util.stream.Collectors.groupingBy(
                    CountingSink.Arrival::client, java.util.stream.Collectors.counting()));
            System.out.printf("ProviderTotalIT: total 10/s over two sources: %.2f/s, busiest second %d,"
                    + " peak connections %d (total cap 3), by source %s%n", rate, sink.maxInWindow(1_000_000_000L),
                    sink.peak.get(), bySource);
            assertTrue(rate <= 10.5, "the total holds for both sources together: " + rate);
            assertTrue(rate >= 9.0, "and is reached: " + rate);
            assertTrue(sink.maxInWindow(1_000_000_000L) <= 12, "no burst: " + sink.maxInWindow(1_000_000_000L));
            assertTrue(sink.peak.get() <= 3, "total-max-connections 3 across both sources: " + sink.peak.get());
            assertEquals(2, bySource.size(), "both sources send: " + bySource);
        }
    }
}
