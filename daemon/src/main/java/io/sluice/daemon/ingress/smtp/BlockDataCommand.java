package io.sluice.daemon.ingress.smtp;

import java.io.IOException;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.internal.server.CommandHandler;
import org.subethamail.smtp.internal.server.RequireAuthCommandWrapper;
import org.subethamail.smtp.internal.server.RequireTLSCommandWrapper;
import org.subethamail.smtp.internal.util.SMTPResponseHelper;
import org.subethamail.smtp.server.Session;

/**
 * SubEthaSMTP's DATA command, replaced so the message is read in blocks ({@link DotStuffedBody})
 * instead of through three stream layers one byte per virtual call (the top of the ingress
 * profile). Replies, order and session state are those of SubEthaSMTP 7.2.0's own command; the
 * message handler still gets an {@code InputStream} of the unstuffed text.
 *
 * <p>This reaches into SubEthaSMTP's internal packages (there is no public hook for DATA), so
 * the version is pinned in the pom and {@code BlockDataCommandTest} fails if the library's
 * DATA command, its wrappers or the session's buffered input change under it.
 */
final class BlockDataCommand extends BaseCommand {

    BlockDataCommand() {
        super("DATA", "Following text is collected as the message.\nEnd data with <CR><LF>.<CR><LF>");
    }

    /**
     * Puts this command in place of the library's, wrapped as the library wraps its own DATA
     * (STARTTLS and AUTH first, when the server requires them), so submission keeps its rules.
     */
    static void install(CommandHandler commands) {
        Command wrapped = new RequireAuthCommandWrapper(new RequireTLSCommandWrapper(new BlockDataCommand()));
        commands.addCommand(wrapped);
    }

    @Override
    public void execute(String commandString, Session session) throws IOException, DropConnectionException {
        if (!session.isMailTransactionInProgress()) {
            session.sendResponse("503 5.5.1 Error: need MAIL command");
            return;
        }
        if (session.getRecipientCount() == 0) {
            session.sendResponse("503 Error: need RCPT command");
            return;
        }
        session.sendResponse("354 End data with <CR><LF>.<CR><LF>");
        DotStuffedBody body = new DotStuffedBody(session.getRawInput());
        String answer;
        try {
            answer = session.getMessageHandler().data(body);
            body.drain(); // a handler that stopped early must not leave message text to be read as commands
        } catch (RejectException e) {
            body.drain();
            session.sendResponse(e.getErrorResponse());
            session.resetMailTransaction();
            return;
        } // DropConnectionException and I/O errors end the session, as in the library's command
        session.sendResponse(answer != null ? SMTPResponseHelper.buildResponse("250", answer) : "250 Ok");
        session.resetMailTransaction();
    }
}
