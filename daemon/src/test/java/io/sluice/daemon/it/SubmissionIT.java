package io.sluice.daemon.it;

import io.sluice.protocol.testing.ExternalTool;
import io.sluice.protocol.testing.SmtpSink;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The submission port: STARTTLS (self-signed in development), then AUTH, then relay; the
 * enhanced status codes survive the switch to TLS.
 */
class SubmissionIT {
    private static final String USER = "app1";
    private static final String PASSWORD = "s3cret-pässword";
    private static Path dir;
    private static SmtpSink sink;
    private static DaemonProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("submission-it");
        sink = SmtpSink.builder().start();
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        String hash = OpenBSDBCrypt.generate("2b", PASSWORD.toCharArray(), salt, 10);
        daemon = DaemonProcess.in(dir)
                .set("sluice.smarthost", "127.0.0.1:" + sink.port())
                .set("sluice.submission.users." + USER + ".password-hash", hash)
                .set("sluice.submission.users." + USER + ".tenant", "acme")
                .set("sluice.submission.users." + USER + ".pools", "transactional")
                .set("sluice.ingress.pools", "default,transactional,bulk")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void jakartaMailSendsWithStartTlsAndAuth() throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(daemon.submissionPort()));
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.ssl.trust", "*");
        p.put("mail.smtp.ssl.checkserveridentity", "false"); // self-signed in development
        Session session = Session.getInstance(p, new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(USER, PASSWORD);
            }
        });
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("app@src.test"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress("jakarta@dest.test"));
        m.setSubject("über TLS", "UTF-8");
        m.setText("sent by Jakarta Mail\n", "UTF-8");
        Transport.send(m);
        SmtpSink.Message got = SinkWaits.await(sink, "for " + "jakarta@dest.test", Duration.ofSeconds(30), x -> x.rcptTo().contains("jakarta@dest.test"));
        assertTrue(got.contentAsString().contains("with ESMTPSA"), got.contentAsString());
    }

    @Test
    void swaksSendsWithTlsAndAuthAndPipelining() throws Exception {
        Process swaks = new ProcessBuilder(ExternalTool.require("swaks").toString(),
                "--server", "127.0.0.1:" + daemon.submissionPort(), "--tls", "--auth", "PLAIN",
                "--auth-user", USER, "--auth-password", PASSWORD, "--pipeline",
                "--from", "app@src.test", "--to", "swaks@dest.test")
                .redirectErrorStream(true).start();
        String transcript = new String(swaks.getInputStream().readAllBytes());
        assertTrue(swaks.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, swaks.exitValue(), transcript);
        assertTrue(transcript.contains("235 2.7.0"), transcript);
        assertTrue(transcript.contains("250 2.0.0 Ok: queued as "), transcript);
        SinkWaits.await(sink, "from swaks", Duration.ofSeconds(30), x -> x.rcptTo().contains("swaks@dest.test"));
    }

    @Test
    void authBeforeStartTlsIsRefusedAndNotAdvertised() throws Exception {
        try (TlsDialogue s = TlsDialogue.open(daemon.submissionPort())) {
            String ehlo = s.command("EHLO client.test");
            assertTrue(ehlo.contains("STARTTLS"), ehlo);
            assertFalse(ehlo.contains("AUTH"), ehlo);
            String auth = s.command("AUTH PLAIN " + plain(USER, PASSWORD));
            assertTrue(auth.startsWith("530 5.7.0"), auth);
            String mail = s.command("MAIL FROM:<app@src.test>");
            assertTrue(mail.startsWith("530 5.7.0"), mail);
        }
    }

    @Test
    void wrongPasswordGets535AndUnauthenticatedRelayIsRefused() throws Exception {
        try (TlsDialogue s = TlsDialogue.open(daemon.submissionPort())) {
            s.command("EHLO client.test");
            assertTrue(s.command("STARTTLS").startsWith("220"));
            s.startTls();
            String ehlo = s.command("EHLO client.test");
            assertTrue(ehlo.contains("AUTH"), ehlo);
            String wrong = s.command("AUTH PLAIN " + plain(USER, "wrong"));
            assertTrue(wrong.startsWith("535 5.7.8"), wrong);
            String relay = s.command("MAIL FROM:<app@src.test>");
            assertTrue(relay.startsWith("530 5.7.0"), "enhanced codes after STARTTLS too: " + relay);
            String ok = s.command("AUTH PLAIN " + plain(USER, PASSWORD));
            assertTrue(ok.startsWith("235 2.7.0"), ok);
            // pipelined: MAIL, RCPT and DATA in one write, replies read afterwards
            List<String> replies = s.pipeline("MAIL FROM:<app@src.test>", "RCPT TO:<piped@dest.test>", "DATA");
            assertTrue(replies.get(0).startsWith("250"), replies.toString());
            assertTrue(replies.get(1).startsWith("250"), replies.toString());
            assertTrue(replies.get(2).startsWith("354"), replies.toString());
            String queued = s.command("Subject: piped\r\n\r\nbody\r\n.");
            assertTrue(queued.startsWith("250 2.0.0"), queued);
        }
    }

    @Test
    void sluiceHeadersLabelTheMailOnlyAsTheUserMayAndNeverReachTheRecipient() throws Exception {
        try (TlsDialogue s = TlsDialogue.open(daemon.submissionPort())) {
            s.command("EHLO client.test");
            s.command("STARTTLS");
            s.startTls();
            s.command("EHLO client.test");
            assertTrue(s.command("AUTH PLAIN " + plain(USER, PASSWORD)).startsWith("235"));
            s.pipeline("MAIL FROM:<app@src.test>", "RCPT TO:<labelled@dest.test>", "DATA");
            String queued = s.command("X-Sluice-Campaign: spring-sale\r\nX-Sluice-Pool: transactional\r\n"
                    + "X-Sluice-Tenant: acme\r\nSubject: labelled\r\n\r\nbody\r\n.");
            assertTrue(queued.startsWith("250 2.0.0"), queued);
            s.pipeline("MAIL FROM:<app@src.test>", "RCPT TO:<labelled@dest.test>", "DATA");
            String otherTenant = s.command("X-Sluice-Tenant: someone-else\r\nSubject: x\r\n\r\nbody\r\n.");
            assertTrue(otherTenant.startsWith("550 5.7.1"), otherTenant);
            s.pipeline("MAIL FROM:<app@src.test>", "RCPT TO:<labelled@dest.test>", "DATA");
            String otherPool = s.command("X-Sluice-Pool: bulk\r\nSubject: x\r\n\r\nbody\r\n.");
            assertTrue(otherPool.startsWith("550 5.7.1"), otherPool);
        }
        SmtpSink.Message got = SinkWaits.await(sink, "for " + "labelled@dest.test", Duration.ofSeconds(30), x -> x.rcptTo().contains("labelled@dest.test"));
        assertFalse(got.contentAsString().toLowerCase().contains("x-sluice-"), got.contentAsString());
        // the event log is written by its own thread: wait for the line rather than read once
        var reception = daemon.events().await("Reception for labelled@", Duration.ofSeconds(30),
                e -> "Reception".equals(e.path("type").asText())
                        && e.path("recipients").toString().contains("\"labelled@dest.test\""));
        assertEquals("acme", reception.path("tenant").asText());
        assertEquals("spring-sale", reception.path("campaign").asText());
        assertEquals("transactional", reception.path("pool").asText());
    }

    @Test
    void relayClientsMayLabelWithAnyKnownPool() throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
            smtp.command("EHLO client.test");
            smtp.command("MAIL FROM:<a@src.test>");
            smtp.command("RCPT TO:<relay-labelled@dest.test>");
            assertEquals(250, smtp.data("X-Sluice-Pool: bulk\r\nX-Sluice-Tenant: shop\r\nSubject: s\r\n\r\nb\r\n").code());
            smtp.command("MAIL FROM:<a@src.test>");
            smtp.command("RCPT TO:<relay-labelled@dest.test>");
            SmtpDialogue.Reply unknown = smtp.data("X-Sluice-Pool: nowhere\r\nSubject: s\r\n\r\nb\r\n");
            assertEquals(550, unknown.code(), unknown.toString());
        }
        // events are written off the reply path: wait for the line rather than read at once
        var reception = daemon.events().await("Reception of the labelled message", java.time.Duration.ofSeconds(10),
                e -> "Reception".equals(e.path("type").asText())
                        && e.path("recipients").toString().contains("relay-labelled@dest.test"));
        assertEquals("bulk", reception.path("pool").asText());
        assertEquals("shop", reception.path("tenant").asText());
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A line-by-line SMTP client that can switch to TLS (trusting any certificate). */
    static final class TlsDialogue implements AutoCloseable {
        private Socket socket;
        private BufferedReader in;
        private OutputStream out;

        static TlsDialogue open(int port) throws IOException {
            TlsDialogue d = new TlsDialogue();
            d.socket = new Socket("127.0.0.1", port);
            d.socket.setSoTimeout(15_000);
            d.streams();
            d.reply();
            return d;
        }

        private void streams() throws IOException {
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        void startTls() throws Exception {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[]{new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] c, String a) { }
                public void checkServerTrusted(X509Certificate[] c, String a) { }
                public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }}, null);
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
            tls.startHandshake();
            socket = tls;
            streams();
        }

        String command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return reply();
        }

        List<String> pipeline(String... lines) throws IOException {
            out.write((String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            List<String> replies = new ArrayList<>();
            for (int i = 0; i < lines.length; i++) {
                replies.add(reply());
            }
            return replies;
        }

        /** The whole (possibly multi-line) reply, lines joined with "\n". */
        String reply() throws IOException {
            StringBuilder all = new StringBuilder();
            String line;
            do {
                line = in.readLine();
                if (line == null) {
                    throw new IOException("connection closed; so far: " + all);
                }
                all.append(all.length() == 0 ? "" : "\n").append(line);
            } while (line.length() > 3 && line.charAt(3) == '-');
            return all.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
