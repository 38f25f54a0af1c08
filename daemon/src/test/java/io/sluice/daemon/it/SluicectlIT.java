package io.sluice.daemon.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.protocol.testing.Dnsmasq;
import io.sluice.protocol.testing.FreePorts;
import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/sluicectl against the real daemon: every command, its --json form, and the exit codes
 * scripts rely on (0 ok, 1 refused or not found, 2 usage, 3 cannot connect).
 */
class SluicectlIT {
    private static final Path SLUICECTL = Path.of("..", "bin", "sluicectl").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int code, String out) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    private static Run ctl(DaemonProcess daemon, String token, Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(SLUICECTL.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SLUICE_JAR", DaemonProcess.jar().toString());
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().put("SLUICE_URL", "http://127.0.0.1:" + (daemon == null ? DaemonProcess.freePort() : daemon.httpPort()));
        if (token != null) {
            pb.environment().put("SLUICE_ADMIN_TOKEN", token);
        }
        pb.directory(dir.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }

    @Test
    void everyCommandWorksAgainstARunningDaemon(@TempDir Path dir) throws Exception {
        int port = FreePorts.tcp();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        Path egress = EgressFiles.oneWarmingSource(dir, "127.0.0.41");
        String token = "ctl-token";
        try (SmtpSink sink = SmtpSink.builder().listen("127.0.0.42", port).start();
             Dnsmasq dns = Dnsmasq.builder().host("mx.held.test", "127.0.0.42").mx("held.test", "mx.held.test", 10)
                     .host("mx.open.test", "127.0.0.42").mx("open.test", "mx.open.test", 10).start();
             DaemonProcess daemon = DaemonProcess.in(dir.resolve("daemon"))
                     .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                     .set("sluice.delivery.port", port)
                     .set("sluice.egress.file", egress)
                     .set("sluice.admin.token", token)
                     .start()) {
            // exit codes: no connection 3, usage 2, wrong token 1
            assertEquals(3, ctl(null, token, dir, "queue", "summary").code());
            assertEquals(2, ctl(daemon, token, dir, "queue", "bogus").code());
            assertEquals(2, ctl(daemon, token, dir, "suppression").code());
            Run help = ctl(daemon, token, dir, "queue", "summary", "--help");
            assertEquals(0, help.code(), help.out());
            assertTrue(help.out().contains("--json") && help.out().contains("--by"), help.out());
            assertEquals(1, ctl(daemon, "wrong", dir, "queue", "summary").code());

            // suspend a domain, queue mail for it, see it in the summary and inspect it
            Run suspended = ctl(daemon, token, dir, "suspend", "domain:held.test", "--for", "1h");
            assertEquals(0, suspended.code(), suspended.out());
            assertEquals(1, ctl(daemon, token, dir, "suspend", "planet:mars").code());
            Run holds = ctl(daemon, token, dir, "suspensions", "--json");
            assertEquals("domain:held.test", holds.json().get(0).path("scope").asText(), holds.out());
            String id;
            try (SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
                smtp.command("EHLO client.test");
                assertEquals(250, smtp.command("MAIL FROM:<sender@src.test>").code());
                for (String r : MailSender.recipients("r", "held.test", 3)) {
                    assertEquals(250, smtp.command("RCPT TO:<" + r + ">").code());
                }
                SmtpDialogue.Reply reply = smtp.data("X-Sluice-Tenant: acme\r\nSubject: held\r\n\r\nbody\r\n");
                assertEquals(250, reply.code());
                id = reply.text().substring(reply.text().lastIndexOf(' ') + 1).strip();
            }
            JsonNode summary = awaitWaiting(daemon, token, dir, 3);
            assertEquals(3, summary.path("domain").path("held.test").path("waiting").asInt(), summary.toString());
            assertEquals(3, summary.path("tenant").path("acme").path("waiting").asInt(), summary.toString());
            Run text = ctl(daemon, token, dir, "queue", "summary", "--by", "domain");
            assertEquals(0, text.code(), text.out());
            assertTrue(text.out().contains("held.test") && text.out().contains("waiting 3"), text.out());

            Run inspect = ctl(daemon, token, dir, "queue", "inspect", id, "--json");
            assertEquals(0, inspect.code(), inspect.out());
            assertEquals("sender@src.test", inspect.json().path("sender").asText());
            assertEquals(3, inspect.json().path("liveDeliveries").size(), inspect.out());
            assertEquals("acme", inspect.json().path("attributes").path("tenant").asText(), inspect.out());
            assertTrue(ctl(daemon, token, dir, "queue", "inspect", id).out().contains("r2@held.test"));
            assertEquals(1, ctl(daemon, token, dir, "queue", "inspect", "01M8GM0Q4W4C8JZ3XK7T2QF0NB").code());

            // resume: the mail flows; a second resume finds nothing (exit 1)
            assertEquals(0, ctl(daemon, token, dir, "resume", "domain:held.test").code());
            assertEquals(1, ctl(daemon, token, dir, "resume", "domain:held.test").code());
            for (int i = 0; i < 3; i++) {
                daemon.events().await("delivery after resume", Duration.ofSeconds(30),
                        EventLogReader.type("Delivery", "r" + i + "@held.test"));
            }

            // warm-up status
            Run warmup = ctl(daemon, token, dir, "warmup", "status", "--json");
            assertEquals(0, warmup.code(), warmup.out());
            assertEquals("warm", warmup.json().get(0).path("source").asText(), warmup.out());
            assertTrue(ctl(daemon, token, dir, "warmup", "status").out().contains("warm"));

            // suppressions: add, show, remove, import, export
            assertEquals(0, ctl(daemon, token, dir, "suppression", "add", "bob@example.com", "--tenant", "acme", "--note", "phone").code());
            Run show = ctl(daemon, token, dir, "suppression", "show", "bob@example.com", "--tenant", "acme", "--json");
            assertEquals(0, show.code(), show.out());
            assertEquals("manual", show.json().path("entry").path("reason").asText(), show.out());
            assertEquals(1, ctl(daemon, token, dir, "suppression", "show", "ann@example.com", "--tenant", "acme").code());
            Run history = ctl(daemon, token, dir, "suppression", "show", "bob@example.com", "--tenant", "acme", "--history", "--json");
            assertEquals("phone", history.json().get(0).path("note").asText(), history.out());
            assertEquals(0, ctl(daemon, token, dir, "suppression", "remove", "bob@example.com", "--tenant", "acme").code());
            assertEquals(1, ctl(daemon, token, dir, "suppression", "remove", "bob@example.com", "--tenant", "acme").code());
            Files.writeString(dir.resolve("in.csv"), "address,reason\ncarl@example.com,hard-bounce\n@trap.example,manual\n");
            Run imported = ctl(daemon, token, dir, "suppression", "import", "in.csv", "--tenant", "acme", "--json");
            assertEquals(0, imported.code(), imported.out());
            assertEquals(2, imported.json().path("imported").asInt(), imported.out());
            Run export = ctl(daemon, token, dir, "suppression", "export", "--tenant", "acme", "--json");
            assertEquals(0, export.code(), export.out());
            assertEquals(2, export.json().size(), export.out());
            assertEquals(0, ctl(daemon, token, dir, "suppression", "export", "--tenant", "acme", "-o", "out.csv").code());

            // engagement: nothing tracked here, so none kept (exit 1, as suppression show) and an empty list
            assertEquals(1, ctl(daemon, token, dir, "engagement", "nobody@example.com", "--tenant", "acme").code());
            Run engaged = ctl(daemon, token, dir, "engagement", "--tenant", "acme", "--json");
            assertEquals(0, engaged.code(), engaged.out());
            assertEquals(0, engaged.json().size(), engaged.out());
            assertTrue(Files.readString(dir.resolve("out.csv")).contains("carl@example.com"));

            // reload: a broken file is refused naming the key (exit 1); a good one is taken
            Files.writeString(egress, "pools:\n  main: {sources: {nobody: 1}}\n");
            Run refused = ctl(daemon, token, dir, "reload");
            assertEquals(1, refused.code(), refused.out());
            assertTrue(refused.out().contains("pools.main.sources.nobody"), refused.out());
            Files.writeString(egress, """
                    sources:
                      warm: {address: 127.0.0.41, warmup: {schedule: default, start: %s}}
                    pools:
                      main: {sources: {warm: 1}}
                    """.formatted(today));
            Run reloaded = ctl(daemon, token, dir, "reload", "--json");
            assertEquals(0, reloaded.code(), reloaded.out());
            assertEquals(1, reloaded.json().path("pools").asInt());

            // top: rates from two scrapes while mail arrives
            java.util.concurrent.atomic.AtomicBoolean sending = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread sender = new Thread(() -> {
                try {
                    for (int i = 0; i < 200 && sending.get(); i++) {
                        Thread.sleep(50);
                        daemon.mail().send(List.of("t" + i + "@open.test"), "");
                    }
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            sender.start();
            Run top = ctl(daemon, token, dir, "top", "--once", "--interval", "3", "--json");
            sending.set(false);
            sender.join();
            assertEquals(0, top.code(), top.out());
            assertTrue(top.json().path("receivedPerSecond").asDouble() > 0, top.out());
            Run topText = ctl(daemon, token, dir, "top", "--once", "--interval", "0.5");
            assertEquals(0, topText.code(), topText.out());
            assertTrue(topText.out().contains("received") && topText.out().contains("PROVIDER"), topText.out());
            assertTrue(sink.messages().size() >= 1);
        }
    }

    private static JsonNode awaitWaiting(DaemonProcess daemon, String token, Path dir, int waiting) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Run r = ctl(daemon, token, dir, "queue", "summary", "--json");
            assertEquals(0, r.code(), r.out());
            last = r.json();
            if (last.path("waiting").asInt() == waiting) {
                return last;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("never " + waiting + " waiting: " + last);
    }
}
