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
    static final String DATA_DEADLINE_REPLY = "421 4.4.2 DATA time limit reached, closing connection";

    private final SessionDeadlines deadlines;
    private final ReadBuffers buffers;

    BlockDataCommand(SessionDeadlines deadlines, ReadBuffers buffers) {
        super("DATA", "Following text is collected as the message.\nEnd data with <CR><LF>.<CR><LF>");
        this.deadlines = deadlines;
        this.buffers = buffers;
    }

    /**
     * Puts this command in place of the library's, wrapped as the library wraps its own DATA
     * (STARTTLS and AUTH first, when the server requires them), so submission keeps its rules.
     */
    static void install(CommandHandler commands, SessionDeadlines deadlines) {
        install(commands, deadlines, ReadBuffers.none());
    }

    /** @param buffers the listener's per-thread buffers, which DATA's blocks then come from */
    static void install(CommandHandler commands, SessionDeadlines deadlines, ReadBuffers buffers) {
        Command wrapped = new RequireAuthCommandWrapper(new RequireTLSCommandWrapper(new BlockDataCommand(deadlines, buffers)));
        commands.addCommand(wrapped);
        BlockBdatCommand.install(commands, deadlines);
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
        DataDeadline deadline = deadlines.startData(session);
        DotStuffedBody body = new DotStuffedBody(session.getRawInput(), deadline, buffers);
        String answer;
        try {
            try {
                answer = session.getMessageHandler().data(body);
                body.drain(); // a handler that stopped early must not leave message text to be read as commands
            } catch (DropConnectionException e) {
                // past the size limit and past the drain bound: what is left is not read
                closeWith(session, e.getErrorResponse());
                return;
            } catch (RejectException e) {
                body.drain();
                session.sendResponse(e.getErrorResponse());
                session.resetMailTransaction();
                return;
            } // other I/O errors end the session, as in the library's command
        } catch (DataDeadline.Expired e) {
            closeWith(session, DATA_DEADLINE_REPLY);
            return;
        } finally {
            deadline.restore();
        }
        session.sendResponse(answer != null ? SMTPResponseHelper.buildResponse("250", answer) : "250 Ok");
        session.resetMailTransaction();
    }

    /** Answers and ends the session: the rest of the client's data is never read. */
    static void closeWith(Session session, String reply) throws IOException {
        session.resetMailTransaction();
        session.sendResponse(reply);
        session.quit();
    }
}
