package io.sluice.daemon.egress.signing;

import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.label.SendingDomains;
import io.sluice.dkim.BodyHasher;
import io.sluice.dkim.Canonicalization;
import io.sluice.dkim.DkimKey;
import io.sluice.dkim.DnsRecord;
import io.sluice.dkim.KeyGenerator;
import io.sluice.queue.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageSignerTest {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final byte[] MESSAGE = ("From: A <a@news.example.test>\r\nTo: b@dest.test\r\nSubject: hi\r\n\r\n"
            + "body  line \r\n\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private static Path pem(Path dir, String name, DkimKey key) throws Exception {
        Path f = dir.resolve(name);
        Files.deleteIfExists(f);
        KeyGenerator.writePem(key, f);
        return f;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static String publicKeyOf(MessageSigner signer, int i) {
        String d = signer.describeKeys().get(i);
        return d.substring(d.indexOf(" p=") + 3);
    }

    @Test
    void reloadReadsRotatedKeysAndKeepsTheOldOnesWhenANewOneIsBad(@TempDir Path dir) throws Exception {
        DkimKey first = KeyGenerator.ed25519();
        DkimKey second = KeyGenerator.ed25519();
        Path file = pem(dir, "k.pem", first);
        MessageSigner signer = new MessageSigner(DkimSettings.parse(Map.of(
                "domains.example.test.selectors.s1.key-file", file.toString(), "use-parent-domain", "true")));
        assertEquals(DnsRecord.of(first).publicKeyBase64(), publicKeyOf(signer, 0));
        byte[] before = signer.signatures("M1", MESSAGE, Map.of(), NOW);

        pem(dir, "k.pem", second);
        signer.reload();
        assertEquals(DnsRecord.of(second).publicKeyBase64(), publicKeyOf(signer, 0));
        byte[] after = signer.signatures("M1", MESSAGE, Map.of(), NOW);
        assertNotEquals(text(before), text(after), "cached signatures are dropped on reload");

        Files.writeString(file, "not a key");
        ConfigException e = assertThrows(ConfigException.class, signer::reload);
        assertTrue(e.getMessage().contains("sluice.dkim.domains.example.test.selectors.s1.key-file=" + file), e.getMessage());
        assertEquals(DnsRecord.of(second).publicKeyBase64(), publicKeyOf(signer, 0), "still signing with the last good key");
    }

    @Test
    void missingKeyNamesTheFileAndTheConfigKey(@TempDir Path dir) {
        Path absent = dir.resolve("absent.pem");
        ConfigException e = assertThrows(ConfigException.class, () -> new MessageSigner(DkimSettings.parse(Map.of(
                "extra-signatures.esp.domain", "esp.test", "extra-signatures.esp.selector", "p",
                "extra-signatures.esp.key-file", absent.toString()))));
        assertEquals("sluice.dkim.extra-signatures.esp.key-file", e.key());
        assertTrue(e.getMessage().contains(absent + ": file not found"), e.getMessage());
    }

    @Test
    void withoutDkimNothingIsHashedOrSigned() {
        MessageSigner off = new MessageSigner(DkimSettings.none());
        Envelope env = new Envelope("a@x.test", List.of("b@y.test"), NOW, Map.of("tenant", "t"));
        assertFalse(off.enabled());
        assertSame(env, off.withBodyHashes(env, MESSAGE));
        assertEquals(0, off.signatures("M", MESSAGE, Map.of(), NOW).length);
    }

    @Test
    void ingressStoresOneBodyHashPerCanonicalizationInUseAndDispatchUsesIt(@TempDir Path dir) throws Exception {
        Path key = pem(dir, "k.pem", KeyGenerator.ed25519());
        MessageSigner signer = new MessageSigner(DkimSettings.parse(Map.of(
                "domains.example.test.selectors.s1.key-file", key.toString(),
                "domains.example.test.selectors.s1.canonicalization", "simple/relaxed",
                "use-parent-domain", "true")));
        Envelope env = signer.withBodyHashes(new Envelope("a@x.test", List.of("b@y.test"), NOW, Map.of("tenant", "default")), MESSAGE);
        String relaxed = Base64.getEncoder().encodeToString(BodyHasher.hash(
                "body  line \r\n\r\n\r\n".getBytes(StandardCharsets.US_ASCII), Canonicalization.RELAXED));
        assertEquals(Map.of("tenant", "default", "dkim.bh.relaxed", relaxed), env.attributes());

        String signed = text(signer.signatures("M1", MESSAGE, env.attributes(), NOW)).replaceAll("\\s", "");
        assertTrue(signed.contains("bh=" + relaxed + ";"), signed);
        assertTrue(signed.contains("d=example.test;"), "news.example.test signs as its parent: " + signed);

        Map<String, String> forged = new HashMap<>(env.attributes());
        String other = Base64.getEncoder().encodeToString(new byte[32]);
        forged.put("dkim.bh.relaxed", other);
        assertTrue(text(signer.signatures("M2", MESSAGE, forged, NOW)).replaceAll("\\s", "").contains("bh=" + other + ";"),
                "the stored hash is used, the body is not hashed again");
        String fallback = text(signer.signatures("M3", MESSAGE, Map.of(), NOW)).replaceAll("\\s", "");
        assertTrue(fallback.contains("bh=" + relaxed + ";"), "hashed at dispatch when ingress did not: " + fallback);
    }

    @Test
    void aTenantIsNeverSignedForADomainItMayNotUse(@TempDir Path dir) throws Exception {
        Path key = pem(dir, "k.pem", KeyGenerator.ed25519());
        DkimSettings settings = DkimSettings.parse(Map.of(
                "domains.a.test.selectors.s1.key-file", key.toString(),
                "domains.b.test.selectors.s1.key-file", key.toString(),
                "extra-signatures.esp.domain", "esp.test", "extra-signatures.esp.selector", "p",
                "extra-signatures.esp.key-file", key.toString()));
        MessageSigner signer = new MessageSigner(settings, new SendingDomains(
                Map.of("a", Set.of("a.test"), "b", Set.of("b.test")), Map.of(), SendingDomains.Mode.REFUSE,
                MessageSigner.authorDomains(settings)));
        // whatever ingress let through: tenant a's mail in b's name gets the platform signature only
        assertEquals(List.of("d=esp.test"), domains(signer.signatures("1", from("x@b.test"), Map.of("tenant", "a"), NOW)));
        assertEquals(List.of("d=b.test", "d=esp.test"),
                domains(signer.signatures("2", from("x@b.test"), Map.of("tenant", "b"), NOW)));
        assertEquals(List.of("d=esp.test"), domains(signer.signatures("3", from("x@b.test"), Map.of(), NOW)),
                "the default tenant declares none: b.test is b's");
        assertEquals(List.of("d=esp.test"), domains(signer.signatures("4", from("x@b.test"),
                Map.of("tenant", "b", MessageSigner.UNSIGNED_ATTRIBUTE, "MAIL FROM x.test is not a domain of tenant b"), NOW)),
                "ingress asked for no author signature");
        assertEquals(List.of("b.test", "esp.test"), signer.signingDomainsFor("b", "b.test"));
        assertEquals(List.of("esp.test"), signer.signingDomainsFor("a", "b.test"));
    }

    @Test
    void deliveriesOfOneMessageShareItsSignatures(@TempDir Path dir) throws Exception {
        Path key = pem(dir, "k.pem", KeyGenerator.ed25519());
        MessageSigner signer = new MessageSigner(DkimSettings.parse(Map.of(
                "domains.news.example.test.selectors.s1.key-file", key.toString())));
        byte[] one = signer.signatures("M1", MESSAGE, Map.of(), NOW);
        assertSame(one, signer.signatures("M1", MESSAGE, Map.of(), NOW.plusSeconds(60)));
        byte[] later = signer.signatures("M1", MESSAGE, Map.of(), NOW.plus(MessageSigner.REUSE_FOR).plusSeconds(1));
        assertNotSame(one, later, "re-signed after the reuse window: t= stays fresh");
        assertNotEquals(text(one), text(later));
    }

    @Test
    void extraSignaturesFollowTheirPolicy(@TempDir Path dir) throws Exception {
        Path a = pem(dir, "a.pem", KeyGenerator.ed25519());
        MessageSigner signer = new MessageSigner(DkimSettings.parse(Map.of(
                "domains.author.test.selectors.s1.key-file", a.toString(),
                "extra-signatures.esp.domain", "esp.test", "extra-signatures.esp.selector", "p",
                "extra-signatures.esp.key-file", a.toString(),
                "extra-signatures.fb.domain", "fb.test", "extra-signatures.fb.selector", "f",
                "extra-signatures.fb.key-file", a.toString(),
                "extra-signatures.fb.policy", "only-if-no-author-domain-key")));
        assertEquals(List.of("d=author.test", "d=esp.test"), domains(signer.signatures("1", from("x@Author.TEST"), Map.of(), NOW)));
        assertEquals(List.of("d=esp.test", "d=fb.test"), domains(signer.signatures("2", from("x@other.test"), Map.of(), NOW)));
        assertEquals(List.of("d=esp.test", "d=fb.test"), domains(signer.signatures("3", from("x@sub.author.test"), Map.of(), NOW)),
                "no parent walk unless use-parent-domain");
        assertEquals(List.of("d=esp.test", "d=fb.test"),
                domains(signer.signatures("4", "To: a@b.test\r\n\r\nno from\r\n".getBytes(StandardCharsets.US_ASCII), Map.of(), NOW)));
    }

    @Test
    void authorDomainComesFromTheFromField() {
        assertEquals("example.test", MessageParts.domainOf(" \"Doe, J (x@y)\" <j@Example.Test>"));
        assertEquals("example.test", MessageParts.domainOf(" j@example.test (Jo <x@y.test>)"));
        assertEquals("xn--bcher-kva.test", MessageParts.domainOf(" B <a@b\u00fccher.test>"));
        assertEquals(null, MessageParts.domainOf(" undisclosed"));
        byte[] m = "Subject: s\r\nfrom :\r\n  Folded <f@folded.test>\r\n\r\nb".getBytes(StandardCharsets.US_ASCII);
        assertEquals("folded.test", MessageParts.of(m).authorDomain(m));
        assertEquals(new MessageParts(0, 2), MessageParts.of("\r\nbody".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(new MessageParts(12, 12), MessageParts.of("Subject: s\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    private static byte[] from(String address) {
        return ("From: <" + address + ">\r\nSubject: s\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static List<String> domains(byte[] fields) {
        return java.util.regex.Pattern.compile("d=[^;]+").matcher(text(fields).replaceAll("\\s", "")).results()
                .map(java.util.regex.MatchResult::group).toList();
    }
}
