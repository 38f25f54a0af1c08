package io.sluice.daemon.engagement;

import io.sluice.daemon.egress.signing.DkimSettings;
import io.sluice.daemon.egress.signing.MessageSigner;
import io.sluice.daemon.outcome.tokens.TokenSigner;
import io.sluice.dkim.DkimKey;
import io.sluice.dkim.DnsRecord;
import io.sluice.dkim.KeyGenerator;
import io.sluice.protocol.testing.ExternalTool;
import io.sluice.queue.DeliveryId;
import io.sluice.queue.MessageId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message whose text and HTML parts were both rewritten is signed over what is sent: dkimpy
 * (python3-dkim, the verifier the ITs use) accepts the signature Sluice's signer makes for it, and
 * rejects the same signature over the original body.
 */
class TrackedSigningTest {
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final Path VERIFY = Path.of(System.getProperty("sluice.repo", ".."), "scripts", "dkim-verify",
            "verify-dkimpy.sh").toAbsolutePath().normalize();

    @Test
    void theRewrittenTextAndHtmlPartsAreWhatDkimSigns(@TempDir Path dir) throws Exception {
        ExternalTool.require("python3");
        DkimKey key = KeyGenerator.rsa(2048);
        Path pem = dir.resolve("shop.pem");
        KeyGenerator.writePem(key, pem);
        MessageSigner signer = new MessageSigner(DkimSettings.parse(Map.of(
                "domains.shop.test.selectors.s1.key-file", pem.toString())));
        TrackingRewriter rewriter = new TrackingRewriter(new TrackingSettings(false, true, true,
                "https://track.shop.test", Duration.ofSeconds(10), Map.of(), Map.of(), Map.of("spring", true),
                Duration.ofSeconds(2), new TrackingSettings.OptIn(false, Map.of(), Map.of("spring", true))),
                new TrackingTokens(new TokenSigner("a-secret-of-sixteen+")), null);
        byte[] original = ("From: Shop <news@shop.test>\r\nTo: a@dest.test\r\nSubject: sale\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\nSale at https://www.shop.test/sale\r\n--b\r\n"
                + "Content-Type: text/html; charset=us-ascii\r\n\r\n<html><body><a href=\"https://www.shop.test/sale\">"
                + "sale</a></body></html>\r\n--b--\r\n").getBytes(StandardCharsets.US_ASCII);

        byte[] sent = rewriter.rewrite(new DeliveryId(MessageId.next(), 0), "bounces@shop.test",
                Map.of("campaign", "spring"), original, NOW);
        String s = new String(sent, StandardCharsets.US_ASCII);
        assertTrue(s.contains("Sale at https://track.shop.test/t/c/") && s.contains("href=\"https://track.shop.test/t/c/")
                && s.contains("/t/o/"), s);

        byte[] signature = signer.signatures("M1", sent, Map.of(), NOW);
        assertTrue(new String(signature, StandardCharsets.US_ASCII).startsWith("DKIM-Signature:"));
        String txt = DnsRecord.of(key).txtValue();
        assertEquals(0, dkimpy(dir, concat(signature, sent), txt), "the rewritten message verifies");
        assertNotEquals(0, dkimpy(dir, concat(signature, original), txt), "the signature covers the rewritten body");
    }

    private static int dkimpy(Path dir, byte[] message, String txt) throws Exception {
        Path f = Files.createTempFile(dir, "signed", ".eml");
        Files.write(f, message);
        Process p = new ProcessBuilder(VERIFY.toString(), f.toString(), "s1", "shop.test", txt)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        if (p.exitValue() == 2 || out.contains("No module named")) {
            throw new AssertionError("dkimpy did not run (python3-dkim; scripts/install-test-deps.sh): " + out);
        }
        return p.exitValue();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
