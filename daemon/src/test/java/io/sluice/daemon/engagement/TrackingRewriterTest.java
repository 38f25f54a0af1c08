package io.sluice.daemon.engagement;

import io.sluice.daemon.outcome.tokens.TokenSigner;
import io.sluice.queue.DeliveryId;
import io.sluice.queue.MessageId;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One recipient's copy: HTML parts rewritten, everything else byte for byte, and where it must not apply. */
class TrackingRewriterTest {
    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    private static final TrackingTokens TOKENS = new TrackingTokens(new TokenSigner("a-secret-of-sixteen+"));
    private static final TrackingSettings ACME_ONLY = new TrackingSettings(false, true, true, null, Duration.ofSeconds(10),
            Map.of("acme", true), Map.of("acme", "https://track.acme.test"), Map.of("quiet", false));
    private static final TrackingRewriter REWRITER = new TrackingRewriter(ACME_ONLY, TOKENS, "https://mail.test");
    private static final DeliveryId ID = new DeliveryId(MessageId.next(), 4);
    private static final Map<String, String> ACME = Map.of("tenant", "acme");

    private static final String TEXT_PART = "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "Visit https://shop.test/sale =E2=80=94 or write to sales@shop.test\r\n";
    private static final String MESSAGE = "From: shop@shop.test\r\nTo: a@x.test\r\nSubject: sale\r\n"
            + "List-Unsubscribe: <https://shop.test/unsub?u=1>, <mailto:unsub@shop.test>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n"
            + "preamble\r\n--b1\r\n" + TEXT_PART + "--b1\r\n"
            + "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "<html><body><p>Sale =E2=80=94 <a href=3D\"https://shop.test/sale?a=3D1&amp;b=3D2\">shop</a>"
            + " <a href=3D\"mailto:sales@shop.test\">write</a>=\r\n"
            + " <a href=3D\"https://shop.test/unsub?u=3D1\">unsubscribe</a></p></body></html>\r\n"
            + "--b1--\r\nepilogue\r\n";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static MimeMessage parse(byte[] m) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(m));
    }

    @Test
    void theHtmlPartGetsRedirectsAndAPixelWhileTheTextPartKeepsItsBytes() throws Exception {
        byte[] out = REWRITER.rewrite(ID, "shop@shop.test", ACME, bytes(MESSAGE), NOW);
        String s = new String(out, StandardCharsets.ISO_8859_1);
        assertTrue(s.startsWith(MESSAGE.substring(0, MESSAGE.indexOf("--b1\r\nContent-Type: text/html"))),
                "header section, preamble and text part unchanged");
        assertTrue(s.endsWith("--b1--\r\nepilogue\r\n"));

        Multipart parts = (Multipart) parse(out).getContent();
        assertEquals("Visit https://shop.test/sale \u2014 or write to sales@shop.test", parts.getBodyPart(0).getContent(),
                "never into text parts");
        String html = (String) parts.getBodyPart(1).getContent();
        Matcher click = Pattern.compile("href=\"https://track\\.acme\\.test/t/c/([^\"]+)\"").matcher(html);
        assertTrue(click.find(), html);
        TrackingTokens.Hit hit = TOKENS.verify(TrackingTokens.Kind.CLICK, click.group(1)).orElseThrow();
        assertEquals("https://shop.test/sale?a=1&b=2", hit.url());
        assertEquals(4, hit.recipientIndex());
        assertEquals(0, hit.link());
        assertFalse(click.find(), "one tracked link only: " + html);
        assertTrue(html.contains("href=\"mailto:sales@shop.test\""), "mailto stays");
        assertTrue(html.contains("href=\"https://shop.test/unsub?u=1\""), "the List-Unsubscribe link stays");
        assertTrue(html.contains("Sale \u2014"), "the charset survives");
        Matcher pixel = Pattern.compile("<img src=\"https://track\\.acme\\.test/t/o/([^\"]+)\"").matcher(html);
        assertTrue(pixel.find() && html.indexOf("<img") < html.indexOf("</body>"), html);
        assertTrue(TOKENS.verify(TrackingTokens.Kind.OPEN, pixel.group(1)).isPresent());
    }

    @Test
    void aSinglePartHtmlMessageIsRewrittenAndLongLinesGoQuotedPrintable() throws Exception {
        String links = "<a href=\"https://shop.test/p\">p</a>".repeat(40);
        String m = "From: shop@shop.test\r\nSubject: s\r\nContent-Type: text/html; charset=us-ascii\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n\r\n<body>" + links + "</body>\r\n";
        byte[] out = REWRITER.rewrite(ID, "shop@shop.test", ACME, bytes(m), NOW);
        String s = new String(out, StandardCharsets.ISO_8859_1);
        assertTrue(s.contains("Content-Transfer-Encoding: quoted-printable\r\n"), s.substring(0, 200));
        assertFalse(s.contains("Content-Transfer-Encoding: 7bit"));
        for (String line : s.split("\r\n")) {
            assertTrue(line.length() <= 998, "line of " + line.length());
        }
        String html = (String) parse(out).getContent();
        assertEquals(40, html.split("/t/c/", -1).length - 1);
    }

    /* Text parts rewritten for campaign "plain" only; Sluice's unsubscribe links are under https://mail.test/u/ */
    private static final TrackingRewriter TEXT_TOO = new TrackingRewriter(new TrackingSettings(false, true, true, null,
            Duration.ofSeconds(10), Map.of("acme", true), Map.of("acme", "https://track.acme.test"), Map.of(),
            Duration.ofSeconds(2), new TrackingSettings.OptIn(false, Map.of(), Map.of("plain", true))), TOKENS,
            "https://mail.test");
    private static final Map<String, String> PLAIN = Map.of("tenant", "acme", "campaign", "plain");

    @Test
    void textPartsAreRewrittenOnlyWhenAskedAndNeverTheirMailtoOrUnsubscribeLinks() throws Exception {
        String text = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "Sale: https://shop.test/sale =E2=80=94 write to mailto:sales@shop.test=\r\n"
                + "\r\nUnsubscribe: https://shop.test/unsub?u=3D1 or https://mail.test/u/tok\r\n";
        String m = MESSAGE.replace(TEXT_PART, text);
        Multipart untouched = (Multipart) parse(TEXT_TOO.rewrite(ID, "shop@shop.test", ACME, bytes(m), NOW)).getContent();
        assertTrue(((String) untouched.getBodyPart(0).getContent()).contains("Sale: https://shop.test/sale"),
                "off unless the tenant or campaign asked");

        byte[] out = TEXT_TOO.rewrite(ID, "shop@shop.test", PLAIN, bytes(m), NOW);
        Multipart parts = (Multipart) parse(out).getContent();
        String plain = (String) parts.getBodyPart(0).getContent();
        Matcher click = Pattern.compile("https://track\\.acme\\.test/t/c/([A-Za-z0-9_.-]+)").matcher(plain);
        assertTrue(click.find(), plain);
        TrackingTokens.Hit hit = TOKENS.verify(TrackingTokens.Kind.CLICK, click.group(1)).orElseThrow();
        assertEquals("https://shop.test/sale", hit.url());
        assertEquals(0, hit.link(), "links are numbered through the message: the text part comes first");
        assertFalse(click.find(), "one link rewritten: " + plain);
        assertTrue(plain.startsWith("Sale: https://track.acme.test/t/c/") && plain.contains(" \u2014 write to "
                + "mailto:sales@shop.test"), plain);
        assertTrue(plain.contains("Unsubscribe: https://shop.test/unsub?u=1 or https://mail.test/u/tok"),
                "the List-Unsubscribe target and Sluice's own unsubscribe link stay: " + plain);

        String html = (String) parts.getBodyPart(1).getContent();
        Matcher htmlClick = Pattern.compile("href=\"https://track\\.acme\\.test/t/c/([^\"]+)\"").matcher(html);
        assertTrue(htmlClick.find(), html);
        assertEquals(1, TOKENS.verify(TrackingTokens.Kind.CLICK, htmlClick.group(1)).orElseThrow().link());
        String raw = new String(out, StandardCharsets.ISO_8859_1);
        for (String line : raw.split("\r\n")) {
            assertTrue(line.length() <= 998, "line of " + line.length());
        }
    }

    @Test
    void aTextOnlyMessageGetsRedirectsWhenAskedAndNoPixel() throws Exception {
        String m = "From: a@shop.test\r\nSubject: s\r\n\r\nhttps://shop.test/a and https://shop.test/b.\r\n";
        byte[] out = TEXT_TOO.rewrite(ID, "shop@shop.test", PLAIN, bytes(m), NOW);
        String s = new String(out, StandardCharsets.ISO_8859_1);
        assertTrue(s.startsWith("From: a@shop.test\r\nSubject: s\r\n\r\nhttps://track.acme.test/t/c/"), s);
        assertEquals(2, s.split("/t/c/", -1).length - 1, s);
        assertTrue(s.endsWith(".\r\n") && !s.contains("/t/o/"), s);
        byte[] plain = bytes(m);
        assertSame(plain, TEXT_TOO.rewrite(ID, "shop@shop.test", ACME, plain, NOW), "not asked: unchanged");
    }

    @Test
    void nothingChangesWhereTrackingMustNotApply() {
        byte[] m = bytes(MESSAGE);
        assertSame(m, REWRITER.rewrite(ID, "shop@shop.test", Map.of("tenant", "other"), m, NOW), "not opted in");
        assertSame(m, REWRITER.rewrite(ID, "shop@shop.test", Map.of("tenant", "acme", "campaign", "quiet"), m, NOW),
                "the campaign opted out");
        assertSame(m, REWRITER.rewrite(ID, "", ACME, m, NOW), "a DSN (null sender)");
        byte[] signed = bytes("DKIM-Signature: v=1; a=rsa-sha256; d=shop.test; s=x; b=abc\r\n" + MESSAGE);
        assertSame(signed, REWRITER.rewrite(ID, "shop@shop.test", ACME, signed, NOW), "signed by the customer");
        byte[] plain = bytes("From: a@shop.test\r\nSubject: s\r\n\r\nhttps://shop.test/\r\n");
        assertSame(plain, REWRITER.rewrite(ID, "shop@shop.test", ACME, plain, NOW), "no HTML part");
        assertSame(m, TrackingRewriter.OFF.rewrite(ID, "shop@shop.test", ACME, m, NOW), "off by default");
    }
}
