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
 * @param recipientDomain the failed recipient's domain, lower case, or null: when the bounce names no remote host,
 *                   the provider rules are tried on it (the provider that hosts the domain most likely answered), but
 *                   their verdict is then not conclusive (a relay may have answered)
 */
public record FailedReply(int replyCode, String status, String text, SmtpCommand command, String remoteHost, boolean delayed,
                          String format, String recipientDomain) {

    public FailedReply {
        command = command == null ? SmtpCommand.UNKNOWN : command;
    }

    /** A failure whose recipient's domain is not given. */
    public FailedReply(int replyCode, String status, String text, SmtpCommand command, String remoteHost, boolean delayed,
                       String format) {
        this(replyCode, status, text, command, remoteHost, delayed, format, null);
    }

    /** The same failure with the recipient's domain (of {@code address}, an addr-spec), for the provider rules. */
    public FailedReply forRecipient(String address) {
        int at = address == null ? -1 : address.lastIndexOf('@');
        String domain = at < 0 ? null : address.substring(at + 1).strip().toLowerCase(java.util.Locale.ROOT).replaceAll("[>.]+$", "");
        return new FailedReply(replyCode, status, text, command, remoteHost, delayed, format, domain == null || domain.isEmpty() ? null : domain);
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
