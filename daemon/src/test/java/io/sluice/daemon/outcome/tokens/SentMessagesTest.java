package io.sluice.daemon.outcome.tokens;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SentMessagesTest {
    private static byte[] message(String messageId, String from) {
        return ("From: " + from + "\r\nTo: x@example.net\r\nMessage-ID: " + messageId + "\r\nSubject: hi\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aBounceQuotingOurMessageIdFindsTheDeliveryOfTheFailedRecipient() {
        SentMessages sent = new SentMessages(100);
        byte[] m = message("<abc@sender.example>", "News <news@sender.example>");
        sent.sent(m, "spool-1", 0, "acme", "Carol@Example.net");
        sent.sent(m, "spool-1", 1, "acme", "dave@example.net");
        byte[] quoted = ("From: news@sender.example\r\nMessage-ID:\r\n <ABC@sender.example>\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ReturnPaths.Resolved d = sent.find(quoted, List.of("dave@example.net")).orElseThrow();
        assertEquals(new ReturnPaths.Resolved("acme", "dave@example.net", "spool-1", 1), d);
    }

    @Test
    void aMatchNeedsOurRecipientAndOurSender() {
        SentMessages sent = new SentMessages(100);
        sent.sent(message("<abc@sender.example>", "news@sender.example"), "spool-1", 0, "acme", "carol@example.net");
        byte[] quoted = message("<abc@sender.example>", "news@sender.example");
        assertTrue(sent.find(quoted, List.of("eve@example.net")).isEmpty(), "not a recipient it was sent to");
        assertTrue(sent.find(message("<abc@sender.example>", "other@elsewhere.example"), List.of("carol@example.net")).isEmpty(),
                "a From we did not send");
        assertTrue(sent.find(message("<zzz@sender.example>", "news@sender.example"), List.of("carol@example.net")).isEmpty(),
                "a Message-ID we did not send");
        assertTrue(sent.find(new byte[0], List.of("carol@example.net")).isEmpty(), "no original headers");
    }

    @Test
    void theIndexIsBoundedAndForgetsTheOldestFirst() {
        SentMessages sent = new SentMessages(2);
        for (int i = 0; i < 3; i++) {
            sent.sent(message("<m" + i + "@sender.example>", "news@sender.example"), "spool-" + i, 0, "acme", "r@example.net");
        }
        assertEquals(2, sent.size());
        assertTrue(sent.find(message("<m0@sender.example>", "news@sender.example"), List.of("r@example.net")).isEmpty());
        assertTrue(sent.find(message("<m2@sender.example>", "news@sender.example"), List.of("r@example.net")).isPresent());
    }

    @Test
    void twoSpoolMessagesSharingAMessageIdResolveEachToItsOwnDelivery() {
        SentMessages sent = new SentMessages(100);
        byte[] m = message("<same@sender.example>", "news@sender.example");
        sent.sent(m, "spool-1", 0, "acme", "carol@example.net");
        sent.sent(m, "spool-2", 0, "acme", "dave@example.net");
        assertEquals(new ReturnPaths.Resolved("acme", "dave@example.net", "spool-2", 0),
                sent.find(m, List.of("dave@example.net")).orElseThrow());
        assertEquals(new ReturnPaths.Resolved("acme", "carol@example.net", "spool-1", 0),
                sent.find(m, List.of("carol@example.net")).orElseThrow());
    }
}
