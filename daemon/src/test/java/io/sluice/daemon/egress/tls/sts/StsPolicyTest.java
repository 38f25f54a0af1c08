package io.sluice.daemon.egress.tls.sts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RFC 8461 §3.1-3.2 and §4.1: the TXT record, the policy file and its mx patterns. */
class StsPolicyTest {

    @Test
    void theRfcsExamplePolicyParses() {
        StsPolicy p = StsPolicy.parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n"
                + "mx: backupmx.example.com\r\nmax_age: 604800\r\n");
        assertEquals(StsPolicy.Mode.ENFORCE, p.mode());
        assertEquals(604800, p.maxAgeSeconds());
        assertEquals(List.of("mail.example.com", "*.example.net", "backupmx.example.com"), p.mx());
        assertTrue(p.allows("mail.example.com"));
        assertTrue(p.allows("MX1.Example.NET."));
        assertFalse(p.allows("example.net"), "a wildcard stands for exactly one label");
        assertFalse(p.allows("a.b.example.net"));
        assertFalse(p.allows("evil.example.org"));
    }

    @Test
    void unknownKeysAreIgnoredAndBareLineFeedsAccepted() {
        StsPolicy p = StsPolicy.parse("version: STSv1\nmode: testing\nmx: mx.example.test\nmax_age: 86400\nextension: 1\n");
        assertEquals(StsPolicy.Mode.TESTING, p.mode());
    }

    @Test
    void modeNoneNeedsNoMx() {
        assertEquals(StsPolicy.Mode.NONE, StsPolicy.parse("version: STSv1\nmode: none\nmax_age: 86400\n").mode());
    }

    @Test
    void malformedPoliciesAreRefusedWithTheReason() {
        assertTrue(refusal("version: STSv2\nmode: enforce\nmx: a.test\nmax_age: 1\n").contains("STSv1"));
        assertTrue(refusal("version: STSv1\nmode: block\nmx: a.test\nmax_age: 1\n").contains("mode"));
        assertTrue(refusal("version: STSv1\nmode: enforce\nmax_age: 1\n").contains("mx"));
        assertTrue(refusal("version: STSv1\nmode: enforce\nmx: a.test\n").contains("max_age"));
        assertTrue(refusal("version: STSv1\nmode: enforce\nmx: a.test\nmax_age: 31557601\n").contains("max_age"));
        assertTrue(refusal("version: STSv1\nmode: enforce\nmx: a.*.test\nmax_age: 1\n").contains("mx pattern"));
        assertTrue(refusal("version: STSv1\nmode: enforce\nmode: testing\nmx: a.test\nmax_age: 1\n").contains("twice"));
        assertTrue(refusal("<html>not a policy</html>").contains("key: value"));
    }

    @Test
    void theTxtRecordGivesItsIdAndTwoRecordsMeanNoPolicy() {
        assertEquals(Optional.of(new StsRecord("20160831085700Z")), StsRecord.among(List.of("v=STSv1; id=20160831085700Z;")));
        assertEquals(Optional.of(new StsRecord("abc")), StsRecord.among(List.of("v=spf1 -all", "v=STSv1; id=abc")));
        assertEquals(Optional.empty(), StsRecord.among(List.of("v=STSv1; id=a;", "v=STSv1; id=b;")));
        assertEquals(Optional.empty(), StsRecord.among(List.of("v=STSv1; id=has-dash;")));
        assertEquals(Optional.empty(), StsRecord.among(List.of("v=STSv1;")));
        assertEquals(Optional.empty(), StsRecord.among(List.of()));
    }

    private static String refusal(String text) {
        return assertThrows(IllegalArgumentException.class, () -> StsPolicy.parse(text)).getMessage();
    }
}
