package io.sluice.daemon.ingress;

import io.sluice.daemon.config.DnsSettings;
import io.sluice.daemon.config.IngressSettings;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DomainCheckTest {

    @Test
    void aDnsServerThatNeverAnswersMeansAccept() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            DomainCheck check = new DomainCheck(new IngressSettings(true, Duration.ofMinutes(5), Duration.ofMillis(300), List.of("default")),
                    new DnsSettings(List.of("127.0.0.1:" + silent.getLocalPort()), Duration.ofMillis(300)), "",
                    Clock.systemUTC());
            try {
                assertEquals(DomainCheck.Verdict.ACCEPT, check.check("slow.example"));
            } finally {
                check.close();
            }
        }
    }

    @Test
    void aSmarthostWithoutDnsServersSwitchesTheCheckOff() {
        DomainCheck check = new DomainCheck(new IngressSettings(true, Duration.ofMinutes(5), Duration.ofSeconds(1), List.of("default")),
                new DnsSettings(List.of(""), Duration.ofSeconds(1)), "127.0.0.1:2525", Clock.systemUTC());
        assertFalse(check.enabled());
        assertEquals(DomainCheck.Verdict.ACCEPT, check.check("anything.invalid"));
        check.close();
    }

    @Test
    void idnDomainsAreAskedForByTheirALabel() {
        assertEquals("xn--bcher-kva.example", DomainCheck.asciiDomain("Bücher.example."));
        assertTrue(DomainCheck.Verdict.NULL_MX.reason("a.example").startsWith("5.1.10 "));
    }
}
