package io.sluice.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;

/** Sends test mail to the daemon's relay port over SMTP, asserting every reply is positive. */
final class MailSender {
    private final int port;

    MailSender(int port) {
        this.port = port;
    }

    /** One message to {@code recipients}; {@code headers} (CRLF-terminated lines) go before Subject. */
    void send(List<String> recipients, String headers) throws IOException {
        try (SmtpDialogue smtp = SmtpDialogue.open(port)) {
            smtp.command("EHLO client.test");
            assertEquals(250, smtp.command("MAIL FROM:<sender@src.test>").code());
            for (String r : recipients) {
                assertEquals(250, smtp.command("RCPT TO:<" + r + ">").code(), r);
            }
            assertEquals(250, smtp.data(headers + "Subject: egress\r\n\r\nbody\r\n").code());
        }
    }

    /** {@code prefix0@domain} … {@code prefix(n-1)@domain}. */
    static List<String> recipients(String prefix, String domain, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + i + "@" + domain).toList();
    }
}
