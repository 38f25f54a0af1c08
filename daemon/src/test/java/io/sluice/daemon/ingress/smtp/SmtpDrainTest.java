package io.sluice.daemon.ingress.smtp;

import org.junit.jupiter.api.Test;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.MessageHandlerFactory;
import org.subethamail.smtp.RejectException;

import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmtpDrainTest {
    private static final MessageHandlerFactory ACCEPT_ALL = ctx -> new MessageHandler() {
        @Override
        public void from(String from) {
        }

        @Override
        public void recipient(String recipient) {
        }

        @Override
        public String data(InputStream data) {
            return null;
        }

        @Override
        public void done() {
        }
    };

    @Test
    void newSessionsAndMailAreRefusedOnceDrainingStarts() throws Exception {
        SmtpDrain drain = new SmtpDrain(Duration.ofSeconds(5));
        assertTrue(drain.accept(null).accepted());
        assertTrue(drain.drain(), "nothing open: drained at once");
        var refused = drain.accept(null);
        assertFalse(refused.accepted());
        assertEquals(421, refused.errorCode());
        assertEquals("4.3.2 Service shutting down", refused.errorMessage());
        MessageHandler late = drain.counting(ACCEPT_ALL).create(null);
        RejectException e = assertThrows(RejectException.class, () -> late.from("a@b.test"));
        assertEquals(421, e.getCode());
    }

    @Test
    void drainWaitsForTheOpenTransactionToFinish() throws Exception {
        SmtpDrain drain = new SmtpDrain(Duration.ofSeconds(10));
        MessageHandler open = drain.counting(ACCEPT_ALL).create(null);
        open.from("a@b.test");
        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(drain::drain);
        Thread.sleep(200);
        assertFalse(drained.isDone(), "a transaction is open");
        open.recipient("c@d.test");
        open.done();
        assertTrue(drained.get(5, TimeUnit.SECONDS));
    }

    @Test
    void drainGivesUpAfterTheGraceTime() throws Exception {
        SmtpDrain drain = new SmtpDrain(Duration.ofMillis(300));
        MessageHandler stuck = drain.counting(ACCEPT_ALL).create(null);
        stuck.from("a@b.test");
        long start = System.nanoTime();
        assertFalse(drain.drain());
        assertTrue(System.nanoTime() - start >= 250_000_000L);
    }
}
