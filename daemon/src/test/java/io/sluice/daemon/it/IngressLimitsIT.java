package io.sluice.daemon.it;

import io.sluice.protocol.testing.SmtpSink;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each limit, reached on purpose, answers with its own precise reply. */
class IngressLimitsIT {

    @Test
    void eachLimitHasItsOwnReply(@TempDir Path dir) throws Exception {
        String hash = OpenBSDBCrypt.generate("2b", "right".toCharArray(), new byte[16], 10);
        try (SmtpSink sink = SmtpSink.builder().start();
             DaemonProcess daemon = DaemonProcess.in(dir)
                     .set("sluice.smarthost", "127.0.0.1:" + sink.port())
                     .set("sluice.smtp.max-recipients", 2)
                     .set("sluice.limits.max-connections-per-ip", 2)
                     .set("sluice.limits.messages-per-minute-per-tenant", 3)
                     .set("sluice.limits.auth-failures-per-minute", 2)
                     .set("sluice.submission.users.u.password-hash", hash)
                     .start()) {
            awaitFreeSlots(daemon); // the start-up probe's connection is released once its session ends
            // connections per client address
            try (SmtpDialogue first = SmtpDialogue.open(daemon.smtpPort());
                 SmtpDialogue second = SmtpDialogue.open(daemon.smtpPort());
                 SmtpDialogue third = SmtpDialogue.open(daemon.smtpPort())) {
                assertEquals(220, first.greeting().code());
                assertEquals(220, second.greeting().code());
                assertEquals(421, third.greeting().code(), third.greeting().toString());
                assertTrue(third.greeting().text().startsWith("4.7.0 Too many connections"), third.greeting().toString());
            }
            awaitFreeSlots(daemon); // the closed sessions are released
            try (SmtpDialogue again = SmtpDialogue.open(daemon.smtpPort())) {
                assertEquals(220, again.greeting().code(), "a slot is free again after a session ends");
                // recipients per message
                again.command("EHLO client.test");
                assertEquals(250, again.command("MAIL FROM:<a@src.test>").code()); // tenant budget: 1 of 3
                assertEquals(250, again.command("RCPT TO:<one@x.test>").code());
                assertEquals(250, again.command("RCPT TO:<two@x.test>").code());
                SmtpDialogue.Reply tooMany = again.command("RCPT TO:<three@x.test>");
                assertEquals(452, tooMany.code());
                assertTrue(tooMany.text().startsWith("4.5.3"), tooMany.toString());
                assertEquals(250, again.data("Subject: limits\r\n\r\nbody\r\n").code());
                // messages per minute per tenant, shared with HTTP: 2 more, then refused
                HttpResponse<String> http = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + daemon.httpPort() + "/api/v1/inject"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"envelope_sender\":\"a@src.test\","
                                + "\"recipients\":[{\"email\":\"b@x.test\"},{\"email\":\"c@x.test\"}],"
                                + "\"content\":{\"from\":\"a@src.test\",\"subject\":\"s\",\"text_body\":\"t\"}}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(202, http.statusCode(), http.body());
                SmtpDialogue.Reply rate = again.command("MAIL FROM:<a@src.test>");
                assertEquals(451, rate.code(), rate.toString());
                assertTrue(rate.text().startsWith("4.7.0 Message rate for tenant default"), rate.toString());
            }
            Thread.sleep(300);
            // failed AUTH attempts per address
            try (SubmissionIT.TlsDialogue s = SubmissionIT.TlsDialogue.open(daemon.submissionPort())) {
                s.command("EHLO client.test");
                s.command("STARTTLS");
                s.startTls();
                s.command("EHLO client.test");
                assertTrue(s.command("AUTH PLAIN " + plain("u", "wrong1")).startsWith("535 5.7.8"));
                assertTrue(s.command("AUTH PLAIN " + plain("u", "wrong2")).startsWith("535 5.7.8"));
                String blocked = s.command("AUTH PLAIN " + plain("u", "right"));
                assertTrue(blocked.startsWith("421 4.7.0"), blocked);
            }
            Thread.sleep(300);
            try (SmtpDialogue refused = SmtpDialogue.open(daemon.submissionPort())) {
                assertEquals(421, refused.greeting().code(), refused.greeting().toString());
                assertTrue(refused.greeting().text().startsWith("4.7.0 Too many failed AUTH"), refused.greeting().toString());
            }
        }
    }

    /** Waits until two sessions at once are possible again (released slots), or fails. */
    private static void awaitFreeSlots(DaemonProcess daemon) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (SmtpDialogue a = SmtpDialogue.open(daemon.smtpPort());
                 SmtpDialogue b = SmtpDialogue.open(daemon.smtpPort())) {
                if (a.greeting().code() == 220 && b.greeting().code() == 220) {
                    a.command("QUIT");
                    b.command("QUIT");
                    // the server releases a slot before it closes the connection
                    assertTrue(a.isClosedByServer() && b.isClosedByServer());
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("connection slots never released");
            }
            Thread.sleep(200);
        }
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }
}
