package io.sluice.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 item 13: the submission listener off loopback on a self-signed certificate is refused
 * at start ({@code check-config} names {@code sluice.submission.tls-cert}) unless the operator
 * says so with {@code sluice.submission.allow-self-signed}.
 */
class SubmissionTlsConfigTest {
    @TempDir
    Path dir;

    private List<String> problems(String yaml) throws Exception {
        return ConfigProblems.of(dir, yaml);
    }

    @Test
    void offLoopbackOnASelfSignedCertificateIsRefused() throws Exception {
        List<String> problems = problems("sluice:\n  submission:\n    bind: 0.0.0.0\n");
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("sluice.submission.tls-cert=")), problems.toString());
    }

    @Test
    void offLoopbackOnASelfSignedCertificateStartsWhenTheOperatorSaysSo() throws Exception {
        assertEquals(List.of(), problems("sluice:\n  submission:\n    bind: 0.0.0.0\n    allow-self-signed: true\n"));
    }

    @Test
    void onLoopbackOrDisabledTheSelfSignedCertificateIsFine() throws Exception {
        assertEquals(List.of(), problems("sluice:\n  submission:\n    bind: 127.0.0.1\n"));
        assertEquals(List.of(), problems("sluice:\n  submission:\n    bind: 0.0.0.0\n    enabled: false\n"));
    }
}
