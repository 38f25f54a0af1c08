package io.sluice.daemon.egress.window;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which window a delivery keeps: its own, else its campaign's, else its tenant's. */
class WindowPolicyTest {
    private static final Instant MONDAY_10 = Instant.parse("2026-03-02T10:00:00Z");

    private static WindowPolicy policy() throws Exception {
        return new WindowPolicy(Map.of("acme", DeliveryWindow.parse("tue 09:00-10:00 UTC")),
                Map.of("spring", DeliveryWindow.parse("wed 09:00-10:00 UTC")));
    }

    @Test
    void aMessagesOwnWindowWinsOverItsCampaignsAndTenants() throws Exception {
        Instant at = policy().opening(Map.of("tenant", "acme", "campaign", "spring",
                WindowPolicy.WINDOW_ATTRIBUTE, "thu 09:00-10:00 UTC"), MONDAY_10);
        assertEquals(Instant.parse("2026-03-05T09:00:00Z"), at);
    }

    @Test
    void aCampaignsWindowWinsOverItsTenants() throws Exception {
        assertEquals(Instant.parse("2026-03-04T09:00:00Z"),
                policy().opening(Map.of("tenant", "acme", "campaign", "spring"), MONDAY_10));
        assertEquals(Instant.parse("2026-03-03T09:00:00Z"),
                policy().opening(Map.of("tenant", "acme", "campaign", "other"), MONDAY_10));
    }

    @Test
    void mailWithoutAnyWindowMayGoNow() throws Exception {
        assertEquals(MONDAY_10, policy().opening(Map.of("tenant", "other"), MONDAY_10));
        assertNull(WindowPolicy.NONE.windowOf(Map.of()));
    }

    @Test
    void aRecipientWindowReadsTheStoredZoneAndUtcWithoutOne() throws Exception {
        Map<String, String> kiritimati = Map.of(WindowPolicy.WINDOW_ATTRIBUTE, "daily 09:00-10:00 recipient",
                WindowPolicy.ZONE_ATTRIBUTE, "Pacific/Kiritimati");
        // 10:00 UTC is 00:00 next day at Kiritimati: 09:00 there is 19:00 UTC
        assertEquals(Instant.parse("2026-03-02T19:00:00Z"), WindowPolicy.NONE.opening(kiritimati, MONDAY_10));
        assertEquals(Instant.parse("2026-03-03T09:00:00Z"), WindowPolicy.NONE.opening(
                Map.of(WindowPolicy.WINDOW_ATTRIBUTE, "daily 09:00-10:00 recipient"), MONDAY_10));
    }

    @Test
    void anUnusableStoredWindowDoesNotHoldMailBack() {
        assertEquals(MONDAY_10, WindowPolicy.NONE.opening(Map.of(WindowPolicy.WINDOW_ATTRIBUTE, "never"), MONDAY_10));
    }
}
