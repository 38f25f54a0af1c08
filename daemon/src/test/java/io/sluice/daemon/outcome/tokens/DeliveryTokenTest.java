package io.sluice.daemon.outcome.tokens;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliveryTokenTest {
    private final TokenSigner signer = new TokenSigner("unit-test-secret-0123456789");

    @Test
    void tokenFitsALocalPartAndVerifiesOnlyForItsRecipient() {
        DeliveryToken t = DeliveryToken.issue(signer, "01JDZ8Q6W3M5K7N9P1R3T5V7X9", 1234, "acme", "Bob@Example.test");
        String local = ReturnPaths.BOUNCE_PREFIX + t.text();
        assertTrue(local.length() <= 64, local);
        DeliveryToken back = ReturnPaths.fromAddress(local.toUpperCase() + "@bounces.example.test", "b-").orElseThrow();
        assertEquals(1234, back.recipientIndex());
        assertTrue(back.verify(signer, "acme", "bob@example.test"));
        assertFalse(back.verify(signer, "acme", "eve@example.test"));
        assertFalse(back.verify(signer, "other", "bob@example.test"));
        assertFalse(back.verify(new TokenSigner("another-secret-0123456789"), "acme", "bob@example.test"));
    }

    @Test
    void malformedTokensDoNotParse() {
        for (String bad : new String[]{"", "b-", "b-garbage", "b-01JDZ8Q6W3M5K7N9P1R3T5V7X9-1-short",
                "b-01JDZ8Q6W3M5K7N9P1R3T5V7X9-zzzzzzz-aaaaaaaaaaaaa", "x-01jdz8q6w3m5k7n9p1r3t5v7x9-1-aaaaaaaaaaaaa"}) {
            assertTrue(ReturnPaths.fromAddress(bad + "@b.test", "b-").isEmpty(), bad);
        }
    }

    @Test
    void unsubscribeTokenCarriesTenantAndAddressAndResistsTampering() {
        String token = UnsubscribeTokens.issue(signer, "acme", "Bob@Example.test");
        var r = UnsubscribeTokens.verify(signer, token).orElseThrow();
        assertEquals("acme", r.tenant());
        assertEquals("bob@example.test", r.address());
        String other = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("acme\neve@example.test".getBytes());
        assertTrue(UnsubscribeTokens.verify(signer, other + token.substring(token.indexOf('.'))).isEmpty());
        assertTrue(UnsubscribeTokens.verify(signer, "!!!.abc").isEmpty());
        assertTrue(UnsubscribeTokens.verify(signer, "nodot").isEmpty());
    }
}
