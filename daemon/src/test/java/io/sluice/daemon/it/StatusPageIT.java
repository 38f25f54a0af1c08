package io.sluice.daemon.it;

import io.sluice.protocol.testing.Dnsmasq;
import io.sluice.protocol.testing.ExternalTool;
import io.sluice.protocol.testing.FreePorts;
import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status page in a real browser (headless Chromium): after mail went through a sink, the
 * rendered DOM shows the real counts read from the admin API and /prometheus, and a screenshot
 * lands in target/ for a human to look at.
 */
class StatusPageIT {
    private static final String TOKEN = "status-token";

    @Test
    void theStatusPageShowsRealNumbers(@TempDir Path dir) throws Exception {
        Path chromium = ExternalTool.require("chromium");
        int port = FreePorts.tcp();
        Path egress = EgressFiles.oneWarmingSource(dir, "127.0.0.41");
        try (SmtpSink sink = SmtpSink.builder().listen("127.0.0.42", port).start();
             Dnsmasq dns = Dnsmasq.builder().host("mx.page.test", "127.0.0.42").mx("page.test", "mx.page.test", 10).start();
             DaemonProcess daemon = DaemonProcess.in(dir.resolve("daemon"))
                     .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                     .set("sluice.delivery.port", port)
                     .set("sluice.egress.file", egress)
                     .set("sluice.admin.token", TOKEN)
                     .start()) {
            for (int i = 0; i < 7; i++) {
                daemon.mail().send(List.of("p" + i + "@page.test"), "");
            }
            for (int i = 0; i < 7; i++) {
                daemon.events().await("delivery", Duration.ofSeconds(30), EventLogReader.type("Delivery", "p" + i + "@page.test"));
            }
            HttpResponse<String> added = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + daemon.httpPort() + "/admin/suppressions"))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"tenant\":\"acme\",\"address\":\"gone@page.test\",\"reason\":\"hard-bounce\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, added.statusCode(), added.body());

            String url = "http://127.0.0.1:" + daemon.httpPort() + "/status#token=" + TOKEN;
            String dom = chromium(chromium, dir, "--virtual-time-budget=10000", "--dump-dom", url);
            assertEquals("7", text(dom, "received-total"), dom);
            assertEquals("7", text(dom, "delivered-total"), dom);
            assertEquals("0", text(dom, "waiting"), dom);
            assertEquals("1", text(dom, "suppressions-total"), dom);
            assertTrue(dom.contains("<td>acme</td><td>hard-bounce</td><td class=\"n\">1</td>"), dom);
            // warm-up: the source, day 1, 7 sent of today's 50
            assertTrue(dom.contains("<td>warm</td><td class=\"n\">1</td>"), dom);
            assertTrue(dom.contains("<td class=\"n\">7</td><td class=\"n\">50</td>"), dom);
            // per provider: 7 delivered in total
            Matcher rates = Pattern.compile("<table id=\"rates\">.*?</table>", Pattern.DOTALL).matcher(dom);
            assertTrue(rates.find() && rates.group().contains("<td class=\"n\">7</td>"), dom);
            assertEquals("", text(dom, "error"), dom);

            Path png = Path.of("target", "status-page.png").toAbsolutePath();
            Files.deleteIfExists(png);
            chromium(chromium, dir, "--virtual-time-budget=10000", "--window-size=1280,900", "--screenshot=" + png, url);
            assertTrue(Files.size(png) > 20_000, "screenshot " + png + " is " + Files.size(png) + " bytes");
            assertTrue(sink.messages().size() >= 1);
        }
    }

    private static String text(String dom, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]*)<").matcher(dom);
        assertTrue(m.find(), "no element #" + id);
        return m.group(1).strip();
    }

    /** Runs headless Chromium with the flags this machine needs and a fresh profile; returns stdout. */
    private static String chromium(Path chromium, Path dir, String... args) throws Exception {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path err = dir.resolve("chromium.err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish: " + Files.readString(err));
        }
        assertEquals(0, p.exitValue(), Files.readString(err));
        return out;
    }
}
