package io.sluice.daemon.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 item 6, against the daemon: {@code sluice.limits.data-timeout} reaches the relay
 * listener's DATA, so a client dripping its message gets 421 4.4.2 and is closed, and the
 * listener goes on serving others.
 */
class SmtpDeadlinesIT {
    @Test
    void aDrippingDataGets421AndTheListenerStillServes(@TempDir Path dir) throws Exception {
        try (DaemonProcess daemon = DaemonProcess.in(dir).set("sluice.limits.data-timeout", "2s")
                     // a smarthost: no domain lookups at RCPT (nothing listens there; deliveries just wait)
                     .set("sluice.smarthost", "127.0.0.1:" + DaemonProcess.freePort()).start();
             Socket s = new Socket("127.0.0.1", daemon.smtpPort())) {
            s.setSoTimeout(60_000);
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = s.getOutputStream();
            assertTrue(r.readLine().startsWith("220"));
            out.write("HELO c.test\r\nMAIL FROM:<a@src.test>\r\nRCPT TO:<b@x.test>\r\nDATA\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; i < 3; i++) {
                String line = r.readLine();
                assertTrue(line.startsWith("250"), line);
            }
            String go = r.readLine();
            assertTrue(go.startsWith("354"), go);
            String reply = null;
            for (int i = 0; i < 600 && reply == null; i++) {
                try {
                    out.write('x');
                    out.flush();
                } catch (java.io.IOException closed) {
                    break;
                }
                Thread.sleep(100);
                if (s.getInputStream().available() > 0) {
                    reply = r.readLine();
                }
            }
            if (reply == null) {
                reply = r.readLine();
            }
            assertEquals("421 4.4.2 DATA time limit reached, closing connection", reply);
            assertEquals(200, daemon.healthStatus());
            daemon.mail().send(java.util.List.of("after@x.test"), "X-Test: after\r\n"); // 250 or it throws
        }
    }
}
