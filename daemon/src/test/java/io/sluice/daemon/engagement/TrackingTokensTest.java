package io.sluice.daemon.engagement;

import io.sluice.daemon.outcome.tokens.TokenSigner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrackingTokensTest {
    private static final Instant SENT = Instant.parse("2026-03-02T10:00:00Z");
    private final TrackingTokens tokens = new TrackingTokens(new TokenSigner("a-secret-of-sixteen+"));

    @Test
    void aClickTokenCarriesItsLinkAndUrlAndVerifies() {
        String t = tokens.click("m1", 3, "acme", "spring", SENT, 2, "https://shop.example/a?b=1&c=2");
        TrackingTokens.Hit hit = tokens.verify(TrackingTokens.Kind.CLICK, t).orElseThrow();
        assertEquals(new TrackingTokens.Hit(TrackingTokens.Kind.CLICK, "m1", 3, "acme", "spring", SENT, 2,
                "https://shop.example/a?b=1&c=2"), hit);
        assertTrue(t.matches("[A-Za-z0-9_-]+\\.[a-z2-7]{13}"), "URL-safe as a path segment: " + t);
    }

    @Test
    void anOpenTokenIsNotAClickToken() {
        String t = tokens.open("m1", 0, null, null, SENT);
        assertTrue(tokens.verify(TrackingTokens.Kind.OPEN, t).isPresent());
        assertTrue(tokens.verify(TrackingTokens.Kind.CLICK, t).isEmpty());
    }

    @Test
    void aTamperedUrlOrAForeignKeyOrJunkDoesNotVerify() {
        String t = tokens.click("m1", 0, "acme", null, SENT, 0, "https://shop.example/");
        String tag = t.substring(t.indexOf('.'));
        String evil = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "c\nm1\n0\nacme\n\n1772445600\n0\nhttps://evil.example/".getBytes(StandardCharsets.UTF_8));
        assertTrue(tokens.verify(TrackingTokens.Kind.CLICK, evil + tag).isEmpty(), "no open redirect");
        TrackingTokens other = new TrackingTokens(new TokenSigner("another-secret-16+"));
        assertTrue(other.verify(TrackingTokens.Kind.CLICK, t).isEmpty());
        for (String junk : new String[] {"", ".", "abc", "abc.def", "!!!.aaaaaaaaaaaaa", "x".repeat(5000)}) {
            assertTrue(tokens.verify(TrackingTokens.Kind.CLICK, junk).isEmpty(), junk);
        }
        assertTrue(new TrackingTokens(null).verify(TrackingTokens.Kind.CLICK, t).isEmpty(), "no secret, nothing verifies");
    }
}
