package io.sluice.daemon.http.access;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 18 item 2: DNS rebinding (Host) and CSRF (Origin) on the operator listener. */
class BrowserGuardTest {
    private final BrowserGuard guard = new BrowserGuard(List.of("MTA1.internal"));
    private final InetAddress local;

    BrowserGuardTest() throws Exception {
        local = InetAddress.getByName("10.1.2.3");
    }

    private boolean refused(String method, String host, String origin) {
        return guard.refusal(method, host, origin, local).isPresent();
    }

    @Test
    void aRebindingNameInHostIsRefusedEvenForAGet() {
        assertTrue(refused("GET", "evil.example:8025", null));
        assertTrue(refused("GET", "127.0.0.1.evil.example", null));
        assertTrue(refused("POST", "", null));
    }

    @Test
    void ourNamesAndLiteralsOfLoopbackOrTheListenerAreAccepted() {
        assertFalse(refused("GET", "127.0.0.1:8025", null));
        assertFalse(refused("GET", "[::1]:8025", null));
        assertFalse(refused("GET", "localhost", null));
        assertFalse(refused("GET", "mta1.internal:8025", null));
        assertFalse(refused("POST", "10.1.2.3:8025", null));
        assertTrue(refused("GET", "10.9.9.9:8025", null), "a literal of another host");
        assertFalse(refused("GET", null, null), "no Host: not a browser");
    }

    @Test
    void aStateChangingRequestFromAnotherOriginIsRefused() {
        assertTrue(refused("POST", "127.0.0.1:8025", "https://evil.example"));
        assertTrue(refused("DELETE", "127.0.0.1:8025", "http://127.0.0.1:9999"), "another port is another origin");
        assertTrue(refused("PUT", "127.0.0.1:8025", "null"), "sandboxed or file: pages");
        assertTrue(refused("POST", "localhost:8025", "http://127.0.0.1:8025"), "same address, other name");
    }

    @Test
    void theListenersOwnOriginAndRequestsWithoutOriginPass() {
        assertFalse(refused("POST", "127.0.0.1:8025", "http://127.0.0.1:8025"));
        assertFalse(refused("POST", "mta1.internal", "http://MTA1.internal"));
        assertFalse(refused("POST", "mta1.internal", "https://mta1.internal:443"));
        assertFalse(refused("POST", "127.0.0.1:8025", null), "curl, sluicectl, scripts send no Origin");
        assertFalse(refused("GET", "127.0.0.1:8025", "https://evil.example"), "reading is the Host check's business");
    }
}
