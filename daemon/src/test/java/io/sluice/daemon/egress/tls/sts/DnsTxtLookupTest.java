package io.sluice.daemon.egress.tls.sts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.protocol.testing.Dnsmasq;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code _mta-sts} TXT lookup against a real DNS server (dnsmasq on loopback). */
class DnsTxtLookupTest {

    @Test
    void findsTheStsRecordAndNothingForAnAbsentName() throws Exception {
        try (Dnsmasq dns = Dnsmasq.builder().txt("_mta-sts.example.test", "v=STSv1; id=20261207;").start()) {
            DnsTxtLookup lookup = new DnsTxtLookup(List.of(dns.address()), Duration.ofSeconds(5));
            assertEquals(new TxtLookup.Answer.Records(List.of("v=STSv1; id=20261207;")), lookup.lookup("_mta-sts.example.test"));
            assertEquals(new TxtLookup.Answer.Records(List.of()), lookup.lookup("_mta-sts.absent.test"));
        }
    }
}
