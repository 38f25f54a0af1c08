package io.sluice.daemon.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.dkim.DkimKey;
import io.sluice.dkim.DnsRecord;
import io.sluice.dkim.KeyGenerator;
import io.sluice.protocol.testing.ExternalTool;
import io.sluice.protocol.testing.SmtpSink;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tracking as deployed: the tracking host {@code track.shop.test} is served by a real HTTPS
 * reverse proxy (Debian's nginx, a self-signed certificate made here) in front of Sluice's public
 * listener, forwarding Host and X-Forwarded-For; 127.0.0.1 is the trusted proxy and a file in
 * Apple's egress-ranges format names 127.0.0.2 as one of Apple's relays.
 * <ul>
 *   <li>headless Chromium loads the delivered HTML part (a file:// copy); its pixel fetch goes
 *       through nginx and makes a human {@code Open};</li>
 *   <li>the same pixel fetched from 127.0.0.2 through nginx is {@code apple-mpp} (the address
 *       came from X-Forwarded-For), while X-Forwarded-For sent straight to the public listener by
 *       an untrusted client is ignored;</li>
 *   <li>curl follows a link through nginx: 302 to the original URL and a human {@code Click};
 *       two links of another recipient's copy clicked at once are both {@code link-scanner};</li>
 *   <li>a tampered token through nginx gets 404 and no event;</li>
 *   <li>both delivered messages, text and HTML parts rewritten, verify with dkimpy;</li>
 *   <li>after the ranges file gains 127.0.0.4 and the daemon gets SIGHUP, its opens are apple-mpp.</li>
 * </ul>
 * nginx, Chromium, curl and openssl must be installed (scripts/install-test-deps.sh); with
 * CI=true a missing one fails the test.
 */
class TrackingProxyIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private static final String HOST = "track.shop.test";

    @Test
    void pixelAndLinksThroughAnHttpsProxyWithChromiumAndCurl(@TempDir Path dir) throws Exception {
        Path nginx = ExternalTool.require("nginx");
        Path chromium = ExternalTool.require("chromium");
        ExternalTool.require("curl");
        Path openssl = ExternalTool.require("openssl");
        DkimSigningIT.Verifier.DKIMPY.requireAvailable();

        DkimKey key = KeyGenerator.rsa(2048);
        Path pem = dir.resolve("shop.pem");
        KeyGenerator.writePem(key, pem);
        Path apple = dir.resolve("egress-ip-ranges.csv");
        Files.writeString(apple, "172.224.226.0/27,GB,GB-EN,London,\n127.0.0.2/32,US,US-CA,Cupertino,\n"
                + "2a02:26f7:b3c0:4000::/64,GB,GB-EN,London,\n");
        int publicPort = DaemonProcess.freePort();
        int proxyPort = DaemonProcess.freePort(publicPort);
        String base = "https://" + HOST + ":" + proxyPort;

        try (SmtpSink sink = SmtpSink.start();
             DaemonProcess daemon = DaemonProcess.in(dir.resolve("daemon"))
                     .set("sluice.smarthost", "127.0.0.1:" + sink.port())
                     .set("sluice.bounce.secret", "tracking-proxy-secret-0123456789")
                     .set("sluice.http.public.port", publicPort)
                     .set("sluice.http.trusted-proxies", "127.0.0.1/32")
                     .set("sluice.campaigns.spring.tracking.enabled", "true")
                     .set("sluice.campaigns.spring.tracking.text-links", "true")
                     .set("sluice.tracking.url", base)
                     .set("sluice.tracking.scanner-window", "0s")
                     .set("sluice.tracking.link-scanner-window", "2s")
                     .set("sluice.tracking.apple-mpp-ranges-file", apple)
                     .set("sluice.dkim.domains.shop.test.selectors.s1.key-file", pem)
                     .start();
             Nginx proxy = Nginx.start(nginx, openssl, dir.resolve("nginx"), proxyPort, publicPort)) {
            inject(daemon, "reader@dest.test", "scanned@dest.test");
            SmtpSink.Message reader = SinkWaits.await(sink, "the reader's copy", Duration.ofSeconds(60),
                    m -> m.rcptTo().contains("reader@dest.test"));
            SmtpSink.Message scanned = SinkWaits.await(sink, "the scanned copy", Duration.ofSeconds(60),
                    m -> m.rcptTo().contains("scanned@dest.test"));
            DkimSigningIT.Expected expected = new DkimSigningIT.Expected("shop.test", "s1", DnsRecord.of(key).txtValue());
            DkimSigningIT.Verifier.DKIMPY.assertPasses("the reader's rewritten copy", reader.content(), expected);
            DkimSigningIT.Verifier.DKIMPY.assertPasses("the scanned rewritten copy", scanned.content(), expected);

            Multipart parts = parts(reader.content());
            String text = (String) parts.getBodyPart(0).getContent();
            assertTrue(text.contains("Sale at " + base + "/t/c/"), "text links rewritten on request: " + text);
            String html = (String) parts.getBodyPart(1).getContent();
            List<String> links = all(Pattern.compile("href=\"(" + Pattern.quote(base) + "/t/c/[^\"]+)\""), html);
            List<String> pixels = all(Pattern.compile("<img src=\"(" + Pattern.quote(base) + "/t/o/[^\"]+)\""), html);
            assertEquals(2, links.size(), html);
            assertEquals(1, pixels.size(), html);

            // a person's mail client: Chromium renders the HTML part and fetches its pixel through nginx
            Path copy = dir.resolve("reader.html");
            Files.writeString(copy, html);
            String dom = chromium(chromium, dir, "--host-resolver-rules=MAP " + HOST + " 127.0.0.1",
                    "--virtual-time-budget=10000", "--dump-dom", copy.toUri().toString());
            assertTrue(dom.contains("/t/o/"), dom);
            Eventually.eventually("the Open of Chromium's pixel fetch", Duration.ofSeconds(20),
                    () -> daemon.events().ofType("Open"), l -> l.size() >= 1);

            // Apple's relay (127.0.0.2, in the ranges file) through the proxy: a machine's open
            assertEquals(200, curl(proxyPort, pixels.get(0), "--interface", "127.0.0.2", "-A", FIREFOX).status());
            // an untrusted client telling the public listener it is Apple's relay: not believed
            String direct = "http://127.0.0.1:" + publicPort + pixels.get(0).substring(base.length());
            assertEquals(200, curl(proxyPort, direct, "--interface", "127.0.0.3", "-A", FIREFOX,
                    "-H", "X-Forwarded-For: 127.0.0.2").status());

            Curl followed = curl(proxyPort, links.get(0), "-A", FIREFOX);
            assertEquals(302, followed.status());
            assertEquals("https://www.shop.test/sale?x=1&y=2", followed.location());

            List<String> scannedLinks = all(Pattern.compile("href=\"(" + Pattern.quote(base) + "/t/c/[^\"]+)\""),
                    (String) parts(scanned.content()).getBodyPart(1).getContent());
            assertEquals(302, curl(proxyPort, scannedLinks.get(0), "-A", FIREFOX).status());
            assertEquals(302, curl(proxyPort, scannedLinks.get(1), "-A", FIREFOX).status());

            String token = links.get(0).substring(links.get(0).lastIndexOf('/') + 1);
            String tampered = token.substring(0, 5) + (token.charAt(5) == 'A' ? 'B' : 'A') + token.substring(6);
            assertEquals(404, curl(proxyPort, base + "/t/c/" + tampered, "-A", FIREFOX).status(), "tampered click");
            String pixelToken = pixels.get(0).substring(pixels.get(0).lastIndexOf('/') + 1);
            assertEquals(404, curl(proxyPort, base + "/t/o/x" + pixelToken, "-A", FIREFOX).status(), "tampered open");

            List<JsonNode> clicks = Eventually.eventually("three Click events", Duration.ofSeconds(20),
                    () -> daemon.events().ofType("Click"), l -> l.size() >= 3);
            List<JsonNode> opens = daemon.events().ofType("Open");
            assertEquals(3, opens.size(), "no event for tampered tokens: " + opens);
            assertEquals(3, clicks.size(), "no event for tampered tokens: " + clicks);

            assertEquals("human", opens.get(0).path("action").asText(), "Chromium: " + opens.get(0));
            assertEquals("browser", opens.get(0).path("source").asText(), opens.get(0).toString());
            assertEquals("machine", opens.get(1).path("action").asText(), "Apple's relay: " + opens.get(1));
            assertEquals("apple-mpp", opens.get(1).path("reason").asText(), opens.get(1).toString());
            assertEquals("human", opens.get(2).path("action").asText(), "forged X-Forwarded-For: " + opens.get(2));

            String readerIndex = clicks.stream().filter(c -> c.path("action").asText().equals("human"))
                    .map(c -> c.path("recipient_index").asText()).findFirst().orElseThrow(() ->
                            new AssertionError("no human click: " + clicks));
            for (JsonNode c : clicks) {
                if (c.path("recipient_index").asText().equals(readerIndex)) {
                    // the text part's link is link 0: links are numbered through the message
                    assertEquals("link 1", c.path("note").asText(), c.toString());
                    continue;
                }
                assertEquals("machine", c.path("action").asText(), "several links at once: " + c);
                assertEquals("link-scanner", c.path("reason").asText(), c.toString());
            }
            for (JsonNode e : daemon.events().all()) {
                String type = e.path("type").asText();
                if (type.equals("Open") || type.equals("Click")) {
                    assertFalse(e.toString().matches(".*127\\.0\\.0\\.\\d.*"), "no IP address stored: " + e);
                }
            }
            assertTrue(proxy.accessLog().contains("/t/o/"), "the fetches went through nginx: " + proxy.accessLog());

            // the operator refreshes Apple's list and sends SIGHUP: 127.0.0.4 becomes one of its relays
            assertEquals("human", lastOpenFrom(proxyPort, pixels.get(0), "127.0.0.4", daemon).path("action").asText());
            Files.writeString(apple, Files.readString(apple) + "127.0.0.4/32,US,US-CA,Cupertino,\n");
            daemon.signal("HUP");
            JsonNode relayed = Eventually.eventually("an apple-mpp open from 127.0.0.4 after SIGHUP", Duration.ofSeconds(20),
                    () -> lastOpenFrom(proxyPort, pixels.get(0), "127.0.0.4", daemon),
                    e -> e.path("reason").asText().equals("apple-mpp"));
            assertEquals("machine", relayed.path("action").asText(), relayed.toString());
        }
    }

    /* Fetches the pixel through the proxy from {@code source}; the Open event it made. */
    private static JsonNode lastOpenFrom(int proxyPort, String pixel, String source, DaemonProcess daemon) throws Exception {
        int before = daemon.events().ofType("Open").size();
        assertEquals(200, curl(proxyPort, pixel, "--interface", source, "-A", FIREFOX).status());
        List<JsonNode> opens = Eventually.eventually("the open from " + source, Duration.ofSeconds(20),
                () -> daemon.events().ofType("Open"), l -> l.size() > before);
        return opens.get(opens.size() - 1);
    }

    private static void inject(DaemonProcess daemon, String... recipients) throws Exception {
        ObjectNode req = JSON.createObjectNode();
        req.put("envelope_sender", "bounces@shop.test");
        req.put("campaign", "spring");
        ArrayNode to = req.putArray("recipients");
        for (String r : recipients) {
            to.addObject().put("email", r);
        }
        req.putObject("content").put("from", "Shop <news@shop.test>").put("subject", "Sale")
                .put("text_body", "Sale at https://www.shop.test/sale or write to mailto:help@shop.test")
                .put("html_body", "<html><body><p><a href=\"https://www.shop.test/sale?x=1&amp;y=2\">sale</a> "
                        + "<a href=\"https://www.shop.test/shoes\">shoes</a> "
                        + "<a href=\"mailto:help@shop.test\">help</a></p></body></html>");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + daemon.httpPort() + "/api/v1/inject"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(req.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
    }

    private static Multipart parts(byte[] message) throws Exception {
        return (Multipart) new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message))
                .getContent();
    }

    private static List<String> all(Pattern p, String s) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(s);
        while (m.find()) {
            out.add(m.group(1).replace("&amp;", "&"));
        }
        return out;
    }

    /** What curl said: status code and redirect target. */
    private record Curl(int status, String location) {
    }

    /* curl sends the tracking host's name to the proxy on loopback and accepts its self-signed certificate. */
    private static Curl curl(int proxyPort, String url, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-k", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}",
                "--max-time", "20", "--resolve", HOST + ":" + proxyPort + ":127.0.0.1"));
        cmd.addAll(List.of(extra));
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "curl finished");
        String[] f = out.split(" ", -1);
        try {
            return new Curl(Integer.parseInt(f[0]), f.length > 1 ? f[1] : "");
        } catch (NumberFormatException e) {
            throw new AssertionError("curl " + cmd + ": " + out);
        }
    }

    /** Headless Chromium with a fresh profile and no traffic of its own; returns stdout. */
    private static String chromium(Path chromium, Path dir, String... args) throws Exception {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--ignore-certificate-errors"));
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

    /**
     * nginx as the tracking host's TLS reverse proxy, in the foreground (so its master is our child
     * process, stopped by its PID), configured and logging in a directory of its own.
     */
    private record Nginx(Process process, Path dir) implements AutoCloseable {
        static Nginx start(Path nginx, Path openssl, Path dir, int port, int upstream) throws Exception {
            Files.createDirectories(dir.resolve("tmp"));
            Process cert = new ProcessBuilder(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-days", "2", "-subj", "/CN=" + HOST, "-addext", "subjectAltName=DNS:" + HOST,
                    "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString())
                    .redirectErrorStream(true).start();
            String certOut = new String(cert.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(cert.waitFor(60, TimeUnit.SECONDS) && cert.exitValue() == 0, "openssl: " + certOut);
            String d = dir.toAbsolutePath().toString();
            Files.writeString(dir.resolve("nginx.conf"), """
                    worker_processes 1;
                    daemon off;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log info;
                    events { worker_connections 64; }
                    http {
                        access_log %1$s/access.log;
                        client_body_temp_path %1$s/tmp/body;
                        proxy_temp_path %1$s/tmp/proxy;
                        fastcgi_temp_path %1$s/tmp/fastcgi;
                        uwsgi_temp_path %1$s/tmp/uwsgi;
                        scgi_temp_path %1$s/tmp/scgi;
                        server {
                            listen 127.0.0.1:%2$d ssl;
                            server_name %4$s;
                            ssl_certificate %1$s/cert.pem;
                            ssl_certificate_key %1$s/key.pem;
                            location / {
                                proxy_pass http://127.0.0.1:%3$d;
                                proxy_http_version 1.1;
                                proxy_set_header Host $host;
                                proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                                proxy_set_header X-Forwarded-Proto https;
                            }
                        }
                    }
                    """.formatted(d, port, upstream, HOST));
            Process p = new ProcessBuilder(nginx.toString(), "-p", d, "-e", d + "/error.log", "-c", d + "/nginx.conf")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
            Nginx n = new Nginx(p, dir);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < until) {
                if (!p.isAlive()) {
                    throw new AssertionError("nginx exited: " + n.log("nginx.out") + n.log("error.log"));
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                    return n;
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            n.close();
            throw new AssertionError("nginx did not listen on " + port + ": " + n.log("error.log"));
        }

        String accessLog() throws IOException {
            return log("access.log");
        }

        private String log(String name) throws IOException {
            Path f = dir.resolve(name);
            return Files.exists(f) ? Files.readString(f) : "";
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy(); // SIGTERM to the master, by its PID: it stops its worker
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
