package io.sluice.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.sluice.protocol.testing.Dnsmasq;
import io.sluice.protocol.testing.TestCa;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.server.SMTPServer;

/**
 * Issue 16, items 1 and 2, end to end on loopback with real parts: dnsmasq serves MX and
 * {@code _mta-sts} TXT records, the JDK's HTTPS server is the policy host (its name redirected
 * through {@code sluice.tls.mta-sts-policy-hosts}), SubEthaSMTP sinks serve STARTTLS with
 * certificates from a test CA that {@code sluice.tls.trust-store} trusts.
 */
class MtaStsIT {
    private static final String GOOD = "version: STSv1\nmode: enforce\nmx: mx.good.test\nmax_age: 86400\n";
    private static final String NO_MATCH = "version: STSv1\nmode: enforce\nmx: mx.elsewhere.test\nmax_age: 86400\n";
    private static final String WRONG_CERT = "version: STSv1\nmode: enforce\nmx: *.wrongcert.test\nmax_age: 86400\n";
    private static final String TESTING = "version: STSv1\nmode: testing\nmx: mx.testing.test\nmax_age: 86400\n";

    private final List<String> received = new CopyOnWriteArrayList<>();

    @Test
    void policiesAreEnforcedReportedAndSurviveARestartWithThePolicyHostDown(@TempDir Path dir) throws Exception {
        TestCa ca = new TestCa("Sluice Test CA");
        Path anchors = Files.writeString(dir.resolve("ca.pem"), ca.pem());
        int port = DaemonProcess.freePort();
        Map<String, String> policies = Map.of("good.test", GOOD, "nomatch.test", NO_MATCH,
                "wrongcert.test", WRONG_CERT, "testing.test", TESTING);
        List<SMTPServer> sinks = new ArrayList<>();
        sinks.add(sink("127.0.0.21", port, ca.server("mx.good.test")));
        sinks.add(sink("127.0.0.22", port, ca.server("mx.nomatch.test")));
        sinks.add(sink("127.0.0.23", port, ca.server("mx.somebody-else.test")));
        sinks.add(sink("127.0.0.24", port, ca.server("mx.somebody-else.test")));
        HttpsServer policyHost = policyHost(ca.server("mta-sts.good.test", "mta-sts.nomatch.test",
                "mta-sts.wrongcert.test", "mta-sts.testing.test"), policies);
        String overrides = String.join(",", policies.keySet().stream()
                .map(d -> "mta-sts." + d + "=127.0.0.1:" + policyHost.getAddress().getPort()).toList());
        Dnsmasq.Builder zone = Dnsmasq.builder();
        String[][] mx = {{"good.test", "127.0.0.21"}, {"nomatch.test", "127.0.0.22"},
                {"wrongcert.test", "127.0.0.23"}, {"testing.test", "127.0.0.24"}};
        for (String[] m : mx) {
            zone.host("mx." + m[0], m[1]).mx(m[0], "mx." + m[0], 10).txt("_mta-sts." + m[0], "v=STSv1; id=20261207;");
        }
        try (Dnsmasq dns = zone.start();
             DaemonProcess daemon = DaemonProcess.in(dir)
                     .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                     .set("sluice.delivery.port", port)
                     .set("sluice.tls.trust-store", anchors)
                     .set("sluice.tls.mta-sts-policy-hosts", overrides)
                     .start()) {
            daemon.mail().send(List.of("a@good.test", "b@nomatch.test", "c@wrongcert.test", "d@testing.test"), "Subject: sts\r\n");
            try {
                firstRound(daemon, policyHost);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\ndaemon log:\n" + daemon.tail(), e);
            }
        } finally {
            policyHost.stop(0);
            sinks.forEach(SMTPServer::stop);
        }
    }

    private void firstRound(DaemonProcess daemon, HttpsServer policyHost) throws Exception {
        {

            JsonNode good = await(daemon, "Delivery", "a@good.test");
            assertEquals("mta-sts-enforce", good.path("tls_policy").asText());
            assertEquals("verified", good.path("tls").asText());

            JsonNode noMatch = await(daemon, "TransientFailure", "b@nomatch.test");
            assertEquals("mta-sts-enforce", noMatch.path("tls_policy").asText());
            assertTrue(noMatch.path("response").toString().contains("MTA-STS"), noMatch.toString());

            JsonNode wrongCert = await(daemon, "TransientFailure", "c@wrongcert.test");
            assertEquals("mta-sts-enforce", wrongCert.path("tls_policy").asText());
            assertEquals("failed", wrongCert.path("tls").asText());
            assertTrue(wrongCert.path("response").toString().contains("certificate-host-mismatch"), wrongCert.toString());

            JsonNode testing = await(daemon, "Delivery", "d@testing.test");
            assertEquals("mta-sts-testing", testing.path("tls_policy").asText());
            assertEquals("unverified", testing.path("tls").asText(), "checked, failed, delivered: testing only reports");

            assertEquals(List.of("a@good.test", "d@testing.test"), received.stream().sorted().toList(),
                    "nothing reached an MX the policy rules out or one whose certificate is wrong");
            assertTrue(Files.isRegularFile(daemon.spoolDir().resolve("mta-sts").resolve("good.test")));

            // item 6: sluicectl tls names the policy and why
            String ctl = sluicectl(daemon, "tls", "nomatch.test");
            assertTrue(ctl.contains("not used (not in the enforced MTA-STS policy): mx.nomatch.test"), ctl);
            String goodCtl = sluicectl(daemon, "tls", "good.test");
            assertTrue(goodCtl.contains("mx.good.test") && goodCtl.contains("mta-sts-enforce")
                    && goodCtl.contains("web-pki (chain and MX name)") && goodCtl.contains("policy id 20261207"), goodCtl);

            // an attacker blocks the policy host, and the daemon restarts: the policies kept on disk still apply
            policyHost.stop(0);
            daemon.kill9();
            daemon.startAgain();
            received.clear();
            daemon.mail().send(List.of("e@good.test", "f@wrongcert.test"), "Subject: after restart\r\n");
            JsonNode afterGood = await(daemon, "Delivery", "e@good.test");
            assertEquals("mta-sts-enforce", afterGood.path("tls_policy").asText());
            JsonNode afterWrong = await(daemon, "TransientFailure", "f@wrongcert.test");
            assertEquals("mta-sts-enforce", afterWrong.path("tls_policy").asText(), "no downgrade to opportunistic");
            assertEquals(List.of("e@good.test"), received);
        }
    }

    private static String sluicectl(DaemonProcess daemon, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of("..", "bin", "sluicectl").toAbsolutePath().normalize().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SLUICE_JAR", DaemonProcess.jar().toString());
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().put("SLUICE_URL", "http://127.0.0.1:" + daemon.httpPort());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static JsonNode await(DaemonProcess daemon, String type, String recipient) throws InterruptedException {
        return daemon.events().await(type + " for " + recipient, Duration.ofSeconds(60),
                e -> type.equals(e.path("type").asText()) && recipient.equals(e.path("recipient").asText()));
    }

    private SMTPServer sink(String address, int port, SSLContext tls) throws Exception {
        return StartTlsSink.start(address, port, tls, received);
    }

    /** One HTTPS server for every policy host, answering by the Host header. */
    private static HttpsServer policyHost(SSLContext tls, Map<String, String> policies) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/.well-known/mta-sts.txt", exchange -> {
            String host = exchange.getRequestHeaders().getFirst("Host");
            String domain = host == null ? "" : host.replaceFirst("^mta-sts\\.", "").replaceFirst(":\\d+$", "");
            String policy = policies.get(domain);
            byte[] body = policy == null ? new byte[0] : policy.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(policy == null ? 404 : 200, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }
}
