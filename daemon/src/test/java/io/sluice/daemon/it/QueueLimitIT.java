package io.sluice.daemon.it;

import io.sluice.protocol.testing.FreePorts;
import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delivery falling behind intake must not fill the heap: past {@code sluice.spool.max-live-deliveries}
 * the daemon answers 452 4.3.1 to new mail and reports itself degraded, keeps the session, and once
 * deliveries end takes mail again; nothing acknowledged is lost.
 */
class QueueLimitIT {

    @Test
    void pastTheLimitNewMailWaitsAndNothingAcknowledgedIsLost(@TempDir Path dir) throws Exception {
        int sinkPort = FreePorts.tcp(); // nothing listens yet: every delivery stays live
        List<String> acknowledged = new ArrayList<>();
        try (DaemonProcess daemon = DaemonProcess.in(dir)
                .set("sluice.spool.max-live-deliveries", "5")
                .set("sluice.smarthost", "127.0.0.1:" + sinkPort)
                .set("sluice.delivery.retry-initial", "1s")
                .set("sluice.delivery.retry-max", "1s")
                .set("sluice.delivery.destination-down-for", "1s")
                .start();
             SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
            smtp.command("EHLO backlog.test");
            SmtpDialogue.Reply refused = null;
            for (int i = 0; i < 10 && refused == null; i++) {
                smtp.command("MAIL FROM:<sender@src.test>");
                smtp.command("RCPT TO:<r" + i + "@dest.test>");
                SmtpDialogue.Reply reply = smtp.data("Subject: backlog " + i + "\r\nMessage-ID: <backlog-" + i
                        + "@src.test>\r\n\r\nbody " + i + "\r\n");
                if (reply.code() == 250) {
                    acknowledged.add("<backlog-" + i + "@src.test>");
                } else {
                    refused = reply;
                }
            }
            assertEquals(5, acknowledged.size(), "five deliveries fit under the limit");
            SinkWaits.assertRefusedForStorage(daemon, smtp, refused);

            // the receiver appears: the backlog drains and new mail is taken again
            try (SmtpSink sink = SmtpSink.builder().listen("127.0.0.1", sinkPort).start()) {
                SinkWaits.awaitMessageIds(sink, acknowledged, Duration.ofSeconds(120));
                SmtpDialogue.Reply again = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < deadline) {
                    smtp.command("MAIL FROM:<sender@src.test>");
                    smtp.command("RCPT TO:<later@dest.test>");
                    again = smtp.data("Subject: later\r\nMessage-ID: <later@src.test>\r\n\r\nlater\r\n");
                    if (again.code() == 250) {
                        break;
                    }
                    Thread.sleep(200); // the last outcomes are being journaled
                }
                assertEquals(250, again.code(), again.toString());
                SinkWaits.await(sink, "<later@src.test>", Duration.ofSeconds(120), SinkWaits.containing("Message-ID: <later@src.test>"));
            }
            assertEquals(200, daemon.healthStatus(), daemon.healthBody());
        }
    }
}
