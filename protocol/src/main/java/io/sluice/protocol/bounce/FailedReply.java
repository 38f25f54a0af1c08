package io.sluice.protocol.bounce;

/**
 * Everything a bounce says about one failed recipient that the classifier weighs.
 *
 * @param replyCode  the SMTP reply code, 0 when unknown
 * @param status     the RFC 3463 status as reported (DSN Status:), or null; when null one is looked
 *                   for in the text
 * @param text       the remote server's words (Diagnostic-Code, the bounce's prose), or null
 * @param command    the SMTP command the reply answered, {@link SmtpCommand#UNKNOWN} when not said
 * @param remoteHost the host that refused (DSN Remote-MTA, or named in the text), lower case, or null
 * @param delayed    true when the report is a delay (RFC 3464 Action: delayed), not a final failure
 * @param format     the bounce's format, i.e. the MTA that wrote it ({@link BounceFormat}: {@code exchange2003},
 *                   {@code imail}, {@code notes}, {@code googlegroups} …), or null when not recognised
 */
public record FailedReply(int replyCode, String status, String text, SmtpCommand command, String remoteHost, boolean delayed,
                          String format) {

    public FailedReply {
        command = command == null ? SmtpCommand.UNKNOWN : command;
    }

    /** A failure whose bounce format is not known (a synchronous reply, or a format not recognised). */
    public FailedReply(int replyCode, String status, String text, SmtpCommand command, String remoteHost, boolean delayed) {
        this(replyCode, status, text, command, remoteHost, delayed, null);
    }

    /** A reply with no context: command, remote host and action unknown. */
    public static FailedReply of(int replyCode, String status, String text) {
        return new FailedReply(replyCode, status, text, SmtpCommand.UNKNOWN, null, false);
    }
}
