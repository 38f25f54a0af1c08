package io.sluice.daemon.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.protocol.bounce.SmtpCommand;
import io.sluice.protocol.client.RecipientReply;
import io.sluice.protocol.client.TransactionResult;
import io.sluice.protocol.smtp.SmtpReply;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which command a recipient's deciding reply answered: what the bounce classifier needs to know. */
class CommandAnsweredTest {
    private static final SmtpReply OK = SmtpReply.of(250, "2.1.0", "ok");
    private static final SmtpReply UNKNOWN_USER = SmtpReply.of(550, "5.1.1", "no such user");

    @Test
    void aRefusedRecipientWasRefusedAtRcpt() {
        TransactionResult r = new TransactionResult(OK,
                List.of(new RecipientReply("a@x.test", UNKNOWN_USER), new RecipientReply("b@x.test", OK)),
                SmtpReply.of(250, "2.0.0", "queued"));
        assertEquals(SmtpCommand.RCPT, Sessions.commandAnswered(r, "a@x.test"));
        assertEquals(SmtpCommand.DATA, Sessions.commandAnswered(r, "b@x.test"), "accepted at RCPT: DATA decided");
    }

    @Test
    void aRefusedSenderDecidesForEveryone() {
        TransactionResult r = new TransactionResult(SmtpReply.of(550, "5.7.1", "sender refused"),
                List.of(), null);
        assertEquals(SmtpCommand.MAIL, Sessions.commandAnswered(r, "a@x.test"));
    }
}
