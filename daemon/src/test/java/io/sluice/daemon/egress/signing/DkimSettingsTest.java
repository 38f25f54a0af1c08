package io.sluice.daemon.egress.signing;

import io.sluice.daemon.config.ConfigException;
import io.sluice.dkim.CanonPair;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DkimSettingsTest {

    @Test
    void noPropertiesMeansDkimIsOff() {
        DkimSettings s = DkimSettings.parse(Map.of());
        assertFalse(s.enabled());
        assertFalse(s.useParentDomain());
    }

    @Test
    void domainWithDotsAndSeveralSelectorsWithDefaults() {
        DkimSettings s = DkimSettings.parse(Map.of(
                "domains.mail.example.com.selectors.rsa2026.key-file", "/k/rsa.pem",
                "domains.mail.example.com.selectors.ed2026.key-file", "/k/ed.pem",
                "domains.mail.example.com.selectors.ed2026.canonicalization", "simple/relaxed",
                "domains.mail.example.com.selectors.ed2026.headers", List.of("from", "to", "subject"),
                "domains.mail.example.com.selectors.ed2026.expiry", "7d",
                "use-parent-domain", "true"));
        assertTrue(s.useParentDomain());
        assertEquals(2, s.signers().size());
        DkimSettings.Signer ed = s.signers().get(0);
        assertEquals("mail.example.com", ed.domain());
        assertEquals("ed2026", ed.selector());
        assertEquals(Path.of("/k/ed.pem"), ed.keyFile());
        assertEquals(CanonPair.parse("simple/relaxed"), ed.canon());
        assertEquals(List.of("from", "to", "subject"), ed.headers());
        assertEquals(Duration.ofDays(7), ed.expiry());
        assertEquals("sluice.dkim.domains.mail.example.com.selectors.ed2026", ed.configKey());
        DkimSettings.Signer rsa = s.signers().get(1);
        assertEquals(CanonPair.RELAXED_RELAXED, rsa.canon());
        assertEquals(List.of(), rsa.headers());
        assertNull(rsa.expiry());
        assertEquals(DkimSettings.Role.AUTHOR, rsa.role());
    }

    @Test
    void extraSignaturesWithPolicies() {
        DkimSettings s = DkimSettings.parse(Map.of(
                "extra-signatures.esp.domain", "esp.example",
                "extra-signatures.esp.selector", "p1",
                "extra-signatures.esp.key-file", "/k/esp.pem",
                "extra-signatures.fb.domain", "fb.example",
                "extra-signatures.fb.selector", "f1",
                "extra-signatures.fb.key-file", "/k/fb.pem",
                "extra-signatures.fb.policy", "only-if-no-author-domain-key",
                "extra-signatures.fb.headers", "from,to,subject"));
        assertEquals(DkimSettings.Role.ALWAYS, s.signers().get(0).role(), "always is the default");
        assertEquals(DkimSettings.Role.ONLY_IF_NO_AUTHOR_DOMAIN_KEY, s.signers().get(1).role());
        assertEquals(List.of("from", "to", "subject"), s.signers().get(1).headers());
    }

    @Test
    void mistakesNameTheKey() {
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> DkimSettings.parse(Map.of("domains.a.test.selectors.s1.keyfile", "/k")));
        assertEquals("sluice.dkim.domains.a.test.selectors.s1.keyfile", unknown.key());
        ConfigException canon = assertThrows(ConfigException.class, () -> DkimSettings.parse(Map.of(
                "domains.a.test.selectors.s1.key-file", "/k", "domains.a.test.selectors.s1.canonicalization", "loose")));
        assertEquals("sluice.dkim.domains.a.test.selectors.s1.canonicalization", canon.key());
        ConfigException policy = assertThrows(ConfigException.class, () -> DkimSettings.parse(Map.of(
                "extra-signatures.x.domain", "x.test", "extra-signatures.x.selector", "s",
                "extra-signatures.x.key-file", "/k", "extra-signatures.x.policy", "sometimes")));
        assertEquals("sluice.dkim.extra-signatures.x.policy", policy.key());
        ConfigException missing = assertThrows(ConfigException.class, () -> DkimSettings.parse(Map.of(
                "extra-signatures.x.domain", "x.test", "extra-signatures.x.key-file", "/k")));
        assertEquals("sluice.dkim.extra-signatures.x.selector", missing.key());
        ConfigException expiry = assertThrows(ConfigException.class, () -> DkimSettings.parse(Map.of(
                "domains.a.test.selectors.s1.key-file", "/k", "domains.a.test.selectors.s1.expiry", "soon")));
        assertEquals("sluice.dkim.domains.a.test.selectors.s1.expiry", expiry.key());
    }
}
