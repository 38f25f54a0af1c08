package io.sluice.daemon.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 item 4 against the real daemon: a bounce that carries no token (no VERP return path, no
 * trace header), arriving after the daemon was killed and started again, is still tied to the
 * delivery by the Message-ID, From and recipient its third part quotes: the index the daemon wrote
 * at send time is read back from {@code <spool>/feedback/sent-messages.log}. In cluster mode the
 * same bounce reaching another node than the one that sent the mail is matched there.
 */
class MessageIdIndexRestartIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String BOUNCE_DOMAIN = "bounces.example.test";
    private static final String FBL = "fbl@" + BOUNCE_DOMAIN;

    @Test
    void aBounceWithoutTokenOfMailSentBeforeAKillIsMatchedAfterTheRestart(@TempDir Path dir) throws Exception {
        try (ScriptedSmtpServer mx = new ScriptedSmtpServer();
             DaemonProcess daemon = DaemonProcess.in(dir)
                     .set("sluice.smarthost", "127.0.0.1:" + mx.port())
                     .set("sluice.relay.networks", "127.0.0.1/32")
                     .set("sluice.bounce.domain", BOUNCE_DOMAIN)
                     .set("sluice.bounce.secret", "it-secret-0123456789abcdef")
                     .set("sluice.feedback.address", FBL)
                     .start()) {
            FeedbackLoopIT.inject(daemon, "news@sender.test", List.of("gone@dest.test"));
            mx.awaitFor("gone@dest.test", WAIT);
            // the writer appends within a second of the send; a kill before that would lose the entry (documented)
            Path index = daemon.spoolDir().resolve("feedback").resolve("sent-messages.log");
            awaitContains(index, "news-1@sender.test");

            daemon.kill9();
            daemon.startAgain();

            assertEquals(250, FeedbackLoopIT.feedbackMail(daemon, "", FBL, dsn("gone@dest.test", "<news-1@sender.test>")).code());
            JsonNode oob = daemon.events().await("OOB for gone@", WAIT, EventLogReader.type("OOB", "gone@dest.test"));
            assertEquals("recorded", oob.path("action").asText(), oob.toString());
            assertTrue(oob.path("note").asText().startsWith("matched by Message-ID"), oob.toString());
            assertEquals(200, daemon.healthStatus());
        }
    }

    @Test
    void inClusterModeABounceReachingNodeBMatchesMailNodeASent(@TempDir Path dir) throws Exception {
        String prefix = RedisServer.freshPrefix();
        try (ScriptedSmtpServer mx = new ScriptedSmtpServer();
             RedisServer redis = RedisServer.shared(dir.resolve("redis"));
             DaemonProcess a = clusterNode(dir, "a", mx, redis, prefix);
             DaemonProcess b = clusterNode(dir, "b", mx, redis, prefix)) {
            FeedbackLoopIT.inject(a, "news@sender.test", List.of("gone@dest.test"));
            mx.awaitFor("gone@dest.test", WAIT);
            // B heard A's delivery and wrote it to its own index file
            awaitContains(b.spoolDir().resolve("feedback").resolve("sent-messages.log"), "news-1@sender.test");

            assertEquals(250, FeedbackLoopIT.feedbackMail(b, "", FBL, dsn("gone@dest.test", "<news-1@sender.test>")).code());
            JsonNode oob = b.events().await("OOB for gone@ on b", WAIT, EventLogReader.type("OOB", "gone@dest.test"));
            assertEquals("recorded", oob.path("action").asText(), oob.toString());
            assertTrue(oob.path("note").asText().startsWith("matched by Message-ID"), oob.toString());
        }
    }

    private static DaemonProcess clusterNode(Path dir, String id, ScriptedSmtpServer mx, RedisServer redis, String prefix)
            throws Exception {
        return DaemonProcess.in(dir.resolve(id))
                .set("sluice.smarthost", "127.0.0.1:" + mx.port())
                .set("sluice.relay.networks", "127.0.0.1/32")
                .set("sluice.bounce.domain", BOUNCE_DOMAIN)
                .set("sluice.bounce.secret", "it-secret-0123456789abcdef")
                .set("sluice.feedback.address", FBL)
                .set("sluice.cluster.redis.uri", redis.uri())
                .set("sluice.cluster.key-prefix", prefix)
                .set("sluice.cluster.node-id", id)
                .start();
    }

    private static void awaitContains(Path file, String text) throws Exception {
        Instant end = Instant.now().plus(WAIT);
        while (!(Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).contains(text))) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError(file + " does not name " + text + " within " + WAIT);
            }
            Thread.sleep(100);
        }
    }

    /* A Sendmail-style DSN to the feedback address: no VERP, no trace header, our headers quoted in the third part. */
    private static String dsn(String recipient, String quotedMessageId) {
        return """
                From: Mail Delivery Subsystem <MAILER-DAEMON@mx.dest.test>
                To: fbl@bounces.example.test
                Subject: Returned mail: see transcript for details
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="B"

                --B
                Content-Type: text/plain

                The original message was received from sender.test.

                --B
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.dest.test

                Final-Recipient: RFC822; %1$s
                Action: failed
                Status: 5.1.1
                Remote-MTA: DNS; mx.dest.test
                Diagnostic-Code: SMTP; 550 5.1.1 <%1$s>... User Unknown

                --B
                Content-Type: text/rfc822-headers

                From: news@sender.test
                To: list@sender.test
                Message-ID: %2$s
                Subject: news

                --B--
                """.formatted(recipient, quotedMessageId);
    }
}
