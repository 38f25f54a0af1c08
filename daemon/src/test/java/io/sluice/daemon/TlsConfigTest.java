package io.sluice.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.protocol.testing.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 item 6: {@code check-config} names every bad {@code sluice.tls.*} key, and takes good ones. */
class TlsConfigTest {
    @TempDir
    Path dir;

    private List<String> problems(String yaml) throws Exception {
        return ConfigProblems.of(dir, yaml);
    }

    private static void assertNamed(List<String> problems, String key) {
        assertTrue(problems.stream().anyMatch(p -> p.contains(key)), key + " not named in " + problems);
    }

    @Test
    void aTrustStoreThatIsNotPemIsNamed() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate");
        assertNamed(problems("sluice:\n  tls:\n    trust-store: " + junk + "\n"), "sluice.tls.trust-store");
        assertNamed(problems("sluice:\n  tls:\n    trust-store: " + dir.resolve("missing.pem") + "\n"), "sluice.tls.trust-store");
    }

    @Test
    void aPolicyHostOverrideWithoutAPortIsNamed() throws Exception {
        assertNamed(problems("sluice:\n  tls:\n    mta-sts-policy-hosts: mta-sts.example.com=127.0.0.1\n"),
                "sluice.tls.mta-sts-policy-hosts");
        assertNamed(problems("sluice:\n  tls:\n    mta-sts-policy-hosts: mta-sts.example.com=127.0.0.1:99999\n"),
                "sluice.tls.mta-sts-policy-hosts");
    }

    @Test
    void aZeroFetchTimeoutIsNamed() throws Exception {
        assertNamed(problems("sluice:\n  tls:\n    mta-sts-fetch-timeout: 0s\n"), "sluice.tls.mta-sts-fetch-timeout");
    }

    @Test
    void goodSettingsPass() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), new TestCa("Test CA").pem());
        assertEquals(List.of(), problems("sluice:\n  tls:\n    trust-store: " + ca + "\n    mta-sts-policy-hosts: "
                + "mta-sts.a.test=127.0.0.1:8443,mta-sts.b.test=[::1]:8443\n    mta-sts-fetch-timeout: 10s\n"));
    }
}
