package io.sluice.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 item 2: where an address proves nothing (the HTTP listener off loopback, or
 * unsubscribe enabled, whose public URL puts a proxy in front), the API and /admin need tokens;
 * without them the daemon does not start, and {@code check-config} (the same beans) names the key.
 */
class HttpAccessConfigTest {
    private static final String SHA = "a".repeat(64);

    @TempDir
    Path dir;

    private List<String> problems(String yaml) throws Exception {
        return ConfigProblems.of(dir, yaml);
    }

    private static void assertNamed(List<String> problems, String key) {
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(key + "=")), key + " not named in " + problems);
    }

    @Test
    void aListenerOffLoopbackWithoutAnAdminTokenIsRefused() throws Exception {
        assertNamed(problems("micronaut:\n  server:\n    host: 0.0.0.0\n"
                + "sluice:\n  api:\n    tokens:\n      app:\n        sha256: " + SHA + "\n"), "sluice.admin.token");
    }

    @Test
    void aListenerOffLoopbackWithoutApiTokensIsRefused() throws Exception {
        assertNamed(problems("micronaut:\n  server:\n    host: 0.0.0.0\nsluice:\n  admin:\n    token-sha256: " + SHA + "\n"),
                "sluice.api.tokens");
    }

    @Test
    void unsubscribeOnLoopbackNeedsTokensToo() throws Exception {
        assertNamed(problems("""
                sluice:
                  bounce:
                    domain: bounces.example.test
                    secret: test-secret-0123456789
                  unsubscribe:
                    enabled: true
                    url: https://mail.example.test
                """), "sluice.admin.token");
    }

    @Test
    void protectedMetricsNeedTheAdminToken() throws Exception {
        assertNamed(problems("sluice:\n  metrics:\n    require-token: true\n"), "sluice.metrics.require-token");
    }

    @Test
    void withBothTokensAnExposedListenerStarts() throws Exception {
        assertEquals(List.of(), problems("micronaut:\n  server:\n    host: 0.0.0.0\n"
                + "sluice:\n  admin:\n    token-sha256: " + SHA + "\n  metrics:\n    require-token: true\n"
                + "  api:\n    tokens:\n      app:\n        sha256: " + SHA + "\n"));
    }

    @Test
    void aPublicListenerOnTheOperatorPortIsRefused() throws Exception {
        assertNamed(problems("micronaut:\n  server:\n    port: 8025\nsluice:\n  http:\n    public:\n      port: 8025\n"),
                "sluice.http.public.port");
    }

    @Test
    void aPublicListenerPortOutOfRangeIsRefused() throws Exception {
        assertNamed(problems("sluice:\n  http:\n    public:\n      port: 70000\n"), "sluice.http.public.port");
    }

    @Test
    void anAllowedHostWithASchemeIsRefused() throws Exception {
        assertNamed(problems("sluice:\n  http:\n    allowed-hosts: [\"https://mta.example\"]\n"), "sluice.http.allowed-hosts");
    }

    @Test
    void aTrustedProxyThatIsNoAddressIsRefused() throws Exception {
        assertNamed(problems("sluice:\n  http:\n    trusted-proxies: [\"proxy.example\"]\n"), "sluice.http.trusted-proxies");
        assertEquals(List.of(), problems("sluice:\n  http:\n    trusted-proxies: [\"127.0.0.1/32\", \"::1\"]\n"));
    }

    @Test
    void trackingsMachineTrafficKeysAreChecked() throws Exception {
        assertNamed(problems("sluice:\n  tracking:\n    link-scanner-window: 5m\n"), "sluice.tracking.link-scanner-window");
        assertNamed(problems("sluice:\n  tracking:\n    apple-mpp-ranges-file: " + dir.resolve("absent.csv") + "\n"),
                "sluice.tracking.apple-mpp-ranges-file");
        assertNamed(problems("sluice:\n  campaigns:\n    spring:\n      tracking:\n        text-links: maybe\n"),
                "sluice.campaigns.spring.tracking.text-links");
    }
}
