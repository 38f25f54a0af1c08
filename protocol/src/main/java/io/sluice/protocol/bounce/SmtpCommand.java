package io.sluice.protocol.bounce;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SMTP command whose reply the bounce reports, when the bounce says which one. The same words
 * mean different things at different commands (RFC 5321 §3.3): a "user unknown" answered at RCPT TO
 * is about the recipient, but answered after DATA the recipient had already been accepted, so it is
 * a filter (Sisimai calls it {@code filtered}); at MAIL FROM no recipient has been named yet, so it
 * is about our sender ({@code rejected}).
 *
 * <p>Found in the wordings MTAs use to name the command: Postfix "(in reply to RCPT TO command)",
 * Exim "SMTP error from remote mail server after RCPT TO:", Sendmail and others' transcripts
 * "&gt;&gt;&gt; DATA", qmail "Connected to … but sender was rejected".
 */
public enum SmtpCommand {
    /** The greeting or the connection itself. */
    CONN,
    /** HELO or EHLO. */
    EHLO,
    MAIL,
    RCPT,
    /** DATA, BDAT or the end of the data. */
    DATA,
    /** The bounce does not say. */
    UNKNOWN;

    /* Each alternative captures the command name in one group; the last mention in the text wins
       (a transcript lists the dialogue in order, the refusal comes after the command it answers). */
    private static final Pattern MENTION = Pattern.compile(
            "in reply to (?:the )?(rcpt to|mail from|end of data|data|bdat|helo|ehlo|starttls)\\b"
                    + "|(?:error|failure|failed|rejected|refused|response|reply|denied)[^\\n]{0,60}? after (?:the )?(?:pipelined )?"
                    + "(rcpt to|mail from|end of data|data|bdat|helo|ehlo|initial connection|connection|greeting|sending data block)\\b"
                    + "|>>> ?(rcpt to|mail from|data|bdat|helo|ehlo)\\b"
                    + "|smtp command:? ?(rcpt|mail|data)\\b"
                    + "|connected to [^\\n]{0,80}? but (sender|my name|greeting|connection)\\b"
                    + "|\\b(rcpt) first\\b"
                    + "|(?:progress was|said \\d{3} for) (rcpt to|mail from|data|helo|ehlo) response"
                    + "|did not like our (rcpt to|mail from|data|helo|ehlo)\\b"
                    // qmail-remote's fixed lines: a refused RCPT TO, a refused DATA or end of data
                    + "|does not like (recipient)\\."
                    + "|failed (on data command|after i sent the message)"
                    // 1&1's "SMTP error from remote server for TEXT command" (its name for the message text: Sisimai's
                    // EinsUndEins parser reads it as DATA)
                    + "|error from remote server for (text) command");

    /* Sisimai's fallback: the commands written in capitals, anywhere ("[RCPT_TO]", "MAIL FROM:<>"). */
    private static final String[] CAPITALS = {"HELO", "EHLO", "STARTTLS", "MAIL F", "RCPT", "DATA"};

    /** The command named by the bounce text, {@link #UNKNOWN} when it names none. */
    static SmtpCommand find(String text) {
        if (text == null || text.isEmpty()) {
            return UNKNOWN;
        }
        String t = (text.length() > 20_000 ? text.substring(0, 20_000) : text).replaceAll("\\s+", " ");
        Matcher m = MENTION.matcher(t.toLowerCase(Locale.ROOT));
        SmtpCommand found = UNKNOWN;
        while (m.find()) {
            for (int g = 1; g <= m.groupCount(); g++) {
                if (m.group(g) != null) {
                    found = of(m.group(g));
                    break;
                }
            }
        }
        if (found == UNKNOWN) {
            // The last of these, in this order, each found after the one before (Sisimai::SMTP::Command).
            int from = 0;
            for (String c : CAPITALS) {
                int at = t.indexOf(c, from);
                if (at >= 0) {
                    from = at;
                    found = of(c.toLowerCase(Locale.ROOT));
                }
            }
        }
        return found;
    }

    private static SmtpCommand of(String words) {
        return switch (words) {
            case "rcpt to", "rcpt", "recipient" -> RCPT;
            case "mail from", "mail", "mail f", "sender" -> MAIL;
            case "data", "bdat", "end of data", "sending data block", "on data command", "after i sent the message", "text" -> DATA;
            case "helo", "ehlo", "starttls", "my name" -> EHLO;
            default -> CONN;
        };
    }

    /** Parses a rules-file name: {@code RCPT}, {@code MAIL}, {@code DATA}, {@code EHLO} (or HELO), {@code CONN}. */
    static SmtpCommand fromLabel(String s) {
        String n = s.strip().toUpperCase(Locale.ROOT);
        if (n.equals("HELO")) {
            return EHLO;
        }
        for (SmtpCommand c : values()) {
            if (c.name().equals(n)) {
                return c;
            }
        }
        return null;
    }
}
