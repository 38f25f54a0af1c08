package io.sluice.protocol.client;

/** One command line without its CRLF, e.g. {@code "MAIL FROM:<a@b> SIZE=123"}. */
record SmtpCommand(String line) {
    SmtpCommand {
        // A CR or LF inside would end the command early and inject another (command smuggling).
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("CR or LF inside an SMTP command");
        }
    }

    /** The verb, for messages: "MAIL", "RCPT", ... */
    String verb() {
        int sp = line.indexOf(' ');
        return sp < 0 ? line : line.substring(0, sp);
    }
}
