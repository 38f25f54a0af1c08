package io.sluice.daemon.ingress.smtp;

import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.internal.server.CommandHandler;
import org.subethamail.smtp.internal.server.RequireAuthCommandWrapper;
import org.subethamail.smtp.internal.server.RequireTLSCommandWrapper;
import org.subethamail.smtp.internal.util.SMTPResponseHelper;
import org.subethamail.smtp.server.Session;

import java.io.IOException;
import java.io.InputStream;

/**
 * SubEthaSMTP's BDAT (RFC 3030 CHUNKING, which the library advertises), replaced: the library
 * reads chunks one byte per call, leaves a refused chunk's octets to be read as commands, and has
 * no deadline. Here chunks are read in blocks ({@link ChunkedBody}) under the same size cap, drain
 * bound and {@code sluice.limits.data-timeout} as DATA; a chunk refused before the message starts
 * (no MAIL, no RCPT) has its octets read and dropped, within the drain bound, so the session stays
 * in step; a broken sequence or a chunk too large to drain gets its answer and the connection
 * closes. Installed beside {@link BlockDataCommand}, with the same AUTH/TLS wrapping, and pinned
 * by the same version test.
 */
final class BlockBdatCommand extends BaseCommand {
    private final SessionDeadlines deadlines;

    BlockBdatCommand(SessionDeadlines deadlines) {
        super("BDAT", "A sequence of BDAT chunks is collected as the message.\nBDAT <size> [LAST]");
        this.deadlines = deadlines;
    }

    static void install(CommandHandler commands, SessionDeadlines deadlines) {
        Command wrapped = new RequireAuthCommandWrapper(new RequireTLSCommandWrapper(new BlockBdatCommand(deadlines)));
        commands.addCommand(wrapped);
    }

    @Override
    public void execute(String commandString, Session session) throws IOException, DropConnectionException {
        ChunkedBody.Chunk chunk = ChunkedBody.Chunk.parse(commandString);
        if (chunk == null) {
            // the size is unknown, so the octets behind this line cannot be told from commands
            BlockDataCommand.closeWith(session, "501 5.5.4 Syntax: BDAT <size> [LAST]; closing connection");
            return;
        }
        if (!session.isMailTransactionInProgress() || session.getRecipientCount() == 0) {
            String refusal = !session.isMailTransactionInProgress() ? "503 5.5.1 Error: need MAIL command"
                    : "503 5.5.1 Error: need RCPT command";
            if (!skip(session, chunk.size())) {
                BlockDataCommand.closeWith(session, refusal + "; closing connection");
                return;
            }
            session.sendResponse(refusal);
            return;
        }
        DataDeadline deadline = deadlines.startData(session);
        ChunkedBody body = new ChunkedBody(session.getRawInput(), session, chunk, deadline);
        String answer;
        try {
            try {
                answer = session.getMessageHandler().data(body);
                body.drain();
            } catch (DropConnectionException e) {
                BlockDataCommand.closeWith(session, e.getErrorResponse());
                return;
            } catch (RejectException e) {
                body.drain();
                session.sendResponse(e.getErrorResponse());
                session.resetMailTransaction();
                return;
            }
        } catch (DataDeadline.Expired e) {
            BlockDataCommand.closeWith(session, BlockDataCommand.DATA_DEADLINE_REPLY);
            return;
        } catch (ChunkedBody.Broken e) {
            BlockDataCommand.closeWith(session, "503 5.5.1 Error: " + e.getMessage() + "; closing connection");
            return;
        } finally {
            deadline.restore();
        }
        session.sendResponse(answer != null ? SMTPResponseHelper.buildResponse("250", answer) : "250 Ok");
        session.resetMailTransaction();
    }

    /** Reads and drops a refused chunk's octets, if within the drain bound and the deadline. */
    private boolean skip(Session session, long size) throws IOException {
        if (size > deadlines.settings().oversizeDrain()) {
            return false;
        }
        DataDeadline deadline = deadlines.startData(session);
        try {
            InputStream in = session.getRawInput();
            byte[] sink = new byte[8192];
            long left = size;
            while (left > 0) {
                int n = deadline.read(in, sink, 0, (int) Math.min(sink.length, left));
                if (n < 0) {
                    throw new IOException("connection closed in the middle of BDAT");
                }
                left -= n;
            }
            return true;
        } catch (DataDeadline.Expired | java.net.SocketTimeoutException e) {
            return false;
        } finally {
            deadline.restore();
        }
    }
}
