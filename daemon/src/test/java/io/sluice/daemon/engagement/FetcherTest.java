package io.sluice.daemon.engagement;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The stated rules for machine traffic. */
class FetcherTest {
    private static final Instant SENT = Instant.parse("2026-03-02T10:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

    private static Fetcher of(String method, String ua, boolean click, long secondsAfter) {
        return Fetcher.of(method, ua, click, SENT, SENT.plusSeconds(secondsAfter), WINDOW);
    }

    @Test
    void aBrowserLateEnoughIsAPerson() {
        Fetcher f = of("GET", FIREFOX, true, 60);
        assertFalse(f.machine());
        assertEquals("browser", f.userAgentClass());
        assertNull(f.machineRule());
    }

    @Test
    void eachRuleFlagsMachineTraffic() {
        assertEquals("head-request", of("HEAD", FIREFOX, true, 60).machineRule());
        assertEquals("apple-mpp", of("GET", "Mozilla/5.0", false, 3600).machineRule());
        assertEquals("bot", of("GET", "curl/8.5.0", true, 3600).machineRule());
        assertEquals("bot", of("GET", "Mozilla/5.0 (compatible; Barracuda Sentinel)", true, 3600).machineRule());
        assertEquals("too-soon", of("GET", FIREFOX, true, 3).machineRule());
        assertNull(of("GET", FIREFOX, false, 3).machineRule(), "an open soon after sending is not a scanner's sign");
    }

    @Test
    void anOpenFromApplesEgressRangesIsAppleMppButAClickFromThemIsAPerson() {
        Fetcher open = Fetcher.of("GET", FIREFOX, true, false, SENT, SENT.plusSeconds(3600), WINDOW);
        assertEquals("apple-mpp", open.machineRule());
        assertEquals("browser", open.userAgentClass(), "the user agent's class stays what it says");
        assertNull(Fetcher.of("GET", FIREFOX, true, true, SENT, SENT.plusSeconds(3600), WINDOW).machineRule(),
                "iCloud Private Relay carries Safari users' own clicks from the same addresses");
        assertEquals("head-request", Fetcher.of("HEAD", FIREFOX, true, false, SENT, SENT.plusSeconds(3600), WINDOW)
                .machineRule(), "the first rule that applies names it");
    }

    @Test
    void aBurstFlagsAPersonsClickAsALinkScannersAndKeepsAnEarlierRule() {
        assertEquals("link-scanner", of("GET", FIREFOX, true, 60).asLinkScanner().machineRule());
        assertEquals("bot", of("GET", "curl/8.5.0", true, 60).asLinkScanner().machineRule());
    }

    @Test
    void proxiesAndUnknownsAreClassed() {
        assertEquals("google-proxy", Fetcher.userAgentClass("Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"));
        assertEquals("unknown", Fetcher.userAgentClass(""));
        assertEquals("unknown", Fetcher.userAgentClass("SomeMailClient/1.0"));
    }
}
