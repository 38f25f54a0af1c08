package io.sluice.daemon.it;

import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SMTP listener's envelope rules as configured, not as the SMTP library defaults them:
 * {@code sluice.smtp.max-recipients} above the library's own 1,000 is honoured, and an
 * address-literal recipient (which delivery, routing by domain, cannot reach) is refused at RCPT
 * rather than accepted and bounced.
 */
class SmtpEnvelopeLimitsIT {

    @Test
    void theConfiguredRecipientLimitHoldsAndLiteralsAreRefusedAtRcpt(@TempDir Path dir) throws Exception {
        try (SmtpSink sink = SmtpSink.builder().start();
             DaemonProcess daemon = DaemonProcess.in(dir)
                     .set("sluice.smarthost", "127.0.0.1:" + sink.port())
                     .set("sluice.smtp.max-recipients", 1200)
                     .start();
             SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
            assertEquals(220, smtp.greeting().code());
            smtp.command("EHLO client.test");
            assertEquals(250, smtp.command("MAIL FROM:<a@src.test>").code());

            SmtpDialogue.Reply literal = smtp.command("RCPT TO:<b@[192.0.2.1]>");
            assertEquals(550, literal.code(), literal.toString());
            assertTrue(literal.text().startsWith("5.1.2") && literal.text().contains("address literal"),
                    literal.toString());

            for (int i = 1; i <= 1200; i++) {
                SmtpDialogue.Reply r = smtp.command("RCPT TO:<r" + i + "@x.test>");
                assertEquals(250, r.code(), "recipient " + i + ": " + r);
            }
            SmtpDialogue.Reply over = smtp.command("RCPT TO:<r1201@x.test>");
            assertEquals(452, over.code(), over.toString());
            assertTrue(over.text().startsWith("4.5.3"), over.toString());
        }
    }
}
