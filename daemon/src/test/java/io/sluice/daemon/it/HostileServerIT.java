package io.sluice.daemon.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.protocol.testing.Dnsmasq;
import io.sluice.protocol.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile-server run of the hardening issue: one MX per misbehaviour (garbage for a
 * greeting, a reply that never ends, a greeting dripped a byte a second, a reset in the middle
 * of DATA, a broken STARTTLS, a reset after the final dot). While they misbehave every delivery
 * to them is deferred (a TransientFailure, never a Bounce, never a Delivery) and the daemon keeps
 * serving; once they behave, every message arrives, exactly once where the receiver never took
 * it, and at least once where it took the body and reset before answering (the at-least-once
 * bound: the sender cannot know).
 */
class HostileServerIT {
    private static final int PER_DOMAIN = 3;
    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void misbehavingReceiversDeferAndNothingIsLostOrDuplicated(@TempDir Path dir) throws Exception {
        int port = FreePorts.tcp();
        Map<HostileMx.Misbehaviour, HostileMx> mxs = new EnumMap<>(HostileMx.Misbehaviour.class);
        Dnsmasq.Builder zone = Dnsmasq.builder();
        int octet = 21;
        for (HostileMx.Misbehaviour m : HostileMx.Misbehaviour.values()) {
            String ip = "127.0.0." + octet++;
            mxs.put(m, new HostileMx(ip, port, m));
            zone.host("mx." + domain(m), ip).mx(domain(m), "mx." + domain(m), 10);
        }
        try (Dnsmasq dns = zone.start();
             DaemonProcess daemon = DaemonProcess.in(dir)
                     .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                     .set("sluice.delivery.port", port)
                     .set("sluice.delivery.command-timeout", "3s")
                     .set("sluice.delivery.data-timeout", "5s")
                     .set("sluice.delivery.retry-initial", "2s")
                     .set("sluice.delivery.retry-max", "4s")
                     .set("sluice.delivery.destination-down-for", "1s")
                     .start()) {
            Map<String, HostileMx.Misbehaviour> sent = new HashMap<>();
            for (HostileMx.Misbehaviour m : HostileMx.Misbehaviour.values()) {
                for (int i = 0; i < PER_DOMAIN; i++) {
                    String id = m.name().toLowerCase().replace('_', '-') + "-" + i;
                    daemon.mail().send(List.of("r" + i + "@" + domain(m)), "Message-ID: <" + id + "@src.test>\r\n");
                    sent.put(id, m);
                }
            }
            for (HostileMx.Misbehaviour m : HostileMx.Misbehaviour.values()) {
                if (m == HostileMx.Misbehaviour.BROKEN_TLS) {
                    continue; // opportunistic TLS goes there in clear after the failed handshake
                }
                Eventually.until("every delivery to " + domain(m) + " deferred", WAIT, () -> {
                    long deferred = daemon.events().ofType("TransientFailure").stream()
                            .filter(e -> e.path("recipient").asText().endsWith("@" + domain(m)))
                            .map(e -> e.path("recipient").asText()).distinct().count();
                    return deferred == PER_DOMAIN;
                });
            }
            List<String> reasons = new ArrayList<>();
            for (JsonNode e : daemon.events().ofType("TransientFailure")) {
                JsonNode r = e.path("response");
                reasons.add(e.path("recipient").asText() + ": " + r.path("code").asText() + " "
                        + r.path("enhanced_code").asText() + " " + r.path("text").asText());
            }
            System.out.println("hostile receivers, deferrals:\n  " + String.join("\n  ", new java.util.TreeSet<>(reasons)));
            assertTrue(daemon.events().ofType("Bounce").isEmpty(), "nothing bounced: " + daemon.events().ofType("Bounce"));
            for (HostileMx.Misbehaviour m : List.of(HostileMx.Misbehaviour.GARBAGE, HostileMx.Misbehaviour.ENDLESS_REPLY,
                    HostileMx.Misbehaviour.DRIP, HostileMx.Misbehaviour.RESET_MID_DATA)) {
                assertTrue(mxs.get(m).received.isEmpty(), m + " received nothing");
            }
            assertEquals(200, daemon.healthStatus(), "the daemon keeps serving");

            mxs.values().forEach(HostileMx::behave);
            try {
                awaitAll(mxs, sent);
            } catch (AssertionError e) {
                // what the daemon did with the ones that did not come: holds, deferrals
                for (JsonNode ev : daemon.events().all()) {
                    String t = ev.path("type").asText();
                    if (!t.equals("Reception") && !t.equals("Delivery")) {
                        System.out.println("event: " + ev);
                    }
                }
                throw e;
            }
            Thread.sleep(3000); // anything sent twice would have arrived by now
            for (Map.Entry<String, HostileMx.Misbehaviour> e : sent.entrySet()) {
                HostileMx mx = mxs.get(e.getValue());
                long copies = mx.received.stream().filter(id -> id.equals(e.getKey() + "@src.test")).count();
                if (e.getValue() == HostileMx.Misbehaviour.RESET_AFTER_DOT) {
                    assertTrue(copies >= 2, e.getKey() + " taken before the reset and again after: " + copies);
                } else {
                    assertEquals(1, copies, e.getKey() + " arrived exactly once");
                }
            }
            assertTrue(daemon.events().ofType("Bounce").isEmpty(), "nothing bounced");
            assertEquals(sent.size(), daemon.events().ofType("Delivery").size(), "one Delivery event per message");
        } finally {
            for (HostileMx mx : mxs.values()) {
                mx.close();
            }
        }
    }

    private static void awaitAll(Map<HostileMx.Misbehaviour, HostileMx> mxs, Map<String, HostileMx.Misbehaviour> sent) {
        Eventually.eventually("every message delivered once the receivers behave", WAIT, () -> {
            List<String> got = new ArrayList<>();
            mxs.values().forEach(mx -> got.addAll(mx.received));
            return sent.keySet().stream().filter(id -> !got.contains(id + "@src.test")).sorted().toList();
        }, List::isEmpty);
    }

    private static String domain(HostileMx.Misbehaviour m) {
        return m.name().toLowerCase().replace('_', '-') + ".test";
    }
}
