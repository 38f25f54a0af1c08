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
 * rendered DOM shows the real counts read from the admin API and /prometheus (a tracked campaign's
 * open beside its bounces and complaints included), and a screenshot lands in target/ for a human
 * to look at.
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
                     // one tracked campaign, so the page has an open to show beside bounces and complaints
                     .set("sluice.bounce.secret", "status-page-it-secret-0123")
                     .set("sluice.campaigns.news.tracking.enabled", "true")
                     .set("sluice.tracking.url", "http://track.page.test")
                     .start()) {
            for (int i = 0; i < 6; i++) {
                daemon.mail().send(List.of("p" + i + "@page.test"), "");
            }
            HttpResponse<String> injected = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + daemon.httpPort() + "/api/v1/inject"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"envelope_sender\":\"news@src.test\",\"campaign\":\"news\","
                            + "\"recipients\":[{\"email\":\"p6@page.test\"}],\"content\":{\"from\":\"news@src.test\","
                            + "\"subject\":\"News\",\"text_body\":\"news\",\"html_body\":\"<html><body><p>news</p></body></html>\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, injected.statusCode(), injected.body());
            for (int i = 0; i < 7; i++) {
                daemon.events().await("delivery", Duration.ofSeconds(30), EventLogReader.type("Delivery", "p" + i + "@page.test"));
            }
            SmtpSink.Message news = SinkWaits.await(sink, "the tracked message", Duration.ofSeconds(30),
                    SinkWaits.containing("News"));
            Matcher pixel = Pattern.compile("http://track\\.page\\.test(/t/o/[A-Za-z0-9_.-]+)")
                    .matcher(html(news.content()));
            assertTrue(pixel.find(), "a pixel in the tracked message: " + new String(news.content(), StandardCharsets.UTF_8));
            HttpResponse<String> opened = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + daemon.httpPort() + pixel.group(1)))
                    .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, opened.statusCode());
            daemon.events().await("the open", Duration.ofSeconds(30), e -> "Open".equals(e.path("type").asText()));
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
            // beside bounces and complaints: the campaign's person's open (provider × tenant × campaign, 24 h)
            Matcher engagement = Pattern.compile("<table id=\"engagement\">.*?</table>", Pattern.DOTALL).matcher(dom);
            assertTrue(engagement.find(), dom);
            assertTrue(Pattern.compile("<td>default</td><td>news</td><td class=\"n\">1</td><td class=\"n\">0</td>"
                    + "<td class=\"n\">0</td><td[^>]*>0[^<]*</td><td class=\"n\">1</td><td class=\"n\">0</td>"
                    + "<td class=\"n\">0</td><td class=\"n\">0</td>").matcher(engagement.group()).find(),
                    engagement.group());
            assertEquals("", text(dom, "error"), dom);

            Path png = Path.of("target", "status-page.png").toAbsolutePath();
            Files.deleteIfExists(png);
            chromium(chromium, dir, "--virtual-time-budget=10000", "--window-size=1280,900", "--screenshot=" + png, url);
            assertTrue(Files.size(png) > 20_000, "screenshot " + png + " is " + Files.size(png) + " bytes");
            assertTrue(sink.messages().size() >= 1);
        }
    }

    /** The message's text, decoded (quoted-printable would break the pixel's URL across lines). */
    private static String html(byte[] message) throws Exception {
        Object content = new jakarta.mail.internet.MimeMessage(jakarta.mail.Session.getInstance(new java.util.Properties()),
                new java.io.ByteArrayInputStream(message)).getContent();
        if (content instanceof jakarta.mail.Multipart parts) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < parts.getCount(); i++) {
                all.append(parts.getBodyPart(i).getContent());
            }
            return all.toString();
        }
        return String.valueOf(content);
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
