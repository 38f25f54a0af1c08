package io.sluice.daemon.ingress;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class SluiceHeadersTest {

    @Test
    void labelsAreTakenOutOfTheMessageAndReturnedAsAttributes() {
        byte[] in = ("From: a@x.test\r\nX-Sluice-Tenant: shop\r\nSubject: hi\r\nx-sluice-campaign: spring\r\n"
                + " sale\r\nX-Sluice-Pool:bulk\r\n\r\nX-Sluice-Pool: in the body stays\r\n").getBytes(StandardCharsets.US_ASCII);
        SluiceHeaders.Extracted out = SluiceHeaders.extract(in, in.length);
        assertEquals(Map.of("tenant", "shop", "campaign", "spring sale", "pool", "bulk"), out.values());
        assertEquals("From: a@x.test\r\nSubject: hi\r\n\r\nX-Sluice-Pool: in the body stays\r\n",
                new String(out.message(), 0, out.length(), StandardCharsets.US_ASCII));
    }

    @Test
    void theTrafficClassIsALabelLikeTheOthersAndNeverReachesTheRecipient() {
        byte[] in = "From: a@x.test\r\nX-Sluice-Class: transactional\r\nSubject: receipt\r\n\r\nbody\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        SluiceHeaders.Extracted out = SluiceHeaders.extract(in, in.length);
        assertEquals(Map.of("class", "transactional"), out.values());
        assertEquals("From: a@x.test\r\nSubject: receipt\r\n\r\nbody\r\n",
                new String(out.message(), 0, out.length(), StandardCharsets.US_ASCII));
    }

    @Test
    void theDeliveryWindowIsTakenOutAsTheSendWindowAttribute() {
        byte[] in = "From: a@x.test\r\nX-Sluice-Window: mon-fri 09:00-17:00\r\n Europe/Paris\r\n\r\nbody\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        SluiceHeaders.Extracted out = SluiceHeaders.extract(in, in.length);
        assertEquals(Map.of("send_window", "mon-fri 09:00-17:00 Europe/Paris"), out.values());
        assertEquals("From: a@x.test\r\n\r\nbody\r\n", new String(out.message(), 0, out.length(), StandardCharsets.US_ASCII));
    }

    @Test
    void aMessageWithoutLabelsIsLeftAsItIs() {
        byte[] in = "From: a@x.test\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        SluiceHeaders.Extracted out = SluiceHeaders.extract(in, in.length);
        assertSame(in, out.message());
        assertEquals(Map.of(), out.values());
    }
}
