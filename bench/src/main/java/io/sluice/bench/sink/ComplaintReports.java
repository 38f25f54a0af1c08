package io.sluice.bench.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a provider's feedback loop does when a recipient presses "this is spam": an ARF report
 * (RFC 5965: multipart/report; report-type=feedback-report, with Feedback-Type abuse,
 * Original-Rcpt-To, and the original header section as text/rfc822-headers, led by the
 * Return-Path the message came with) sent over SMTP to the sender's feedback address. Reports go
 * out one at a time off the event loop; a report that cannot be sent is counted, not retried.
 */
final class ComplaintReports implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MS = 5000;

    private final InetSocketAddress target;
    private final String feedbackAddress;
    private final String hostname;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sink-complaints");
        t.setDaemon(true);
        return t;
    });
    final LongAdder sent = new LongAdder();
    final LongAdder failed = new LongAdder();

    ComplaintReports(InetSocketAddress target, String feedbackAddress, String hostname) {
        this.target = target;
        this.feedbackAddress = feedbackAddress;
        this.hostname = hostname;
    }

    /** Queues a complaint about {@code message} (its first {@code stored} octets) received for {@code recipient}. */
    void complain(String returnPath, String recipient, byte[] message, int stored) {
        String report = report(returnPath, recipient, headerSection(message, stored));
        sender.execute(() -> {
            try {
                send(report);
                sent.increment();
            } catch (IOException | RuntimeException e) {
                failed.increment();
            }
        });
    }

    /** The ARF report as sent (CRLF line ends). */
    String report(String returnPath, String recipient, String originalHeaders) {
        String boundary = "sink-arf-" + Long.toHexString(System.nanoTime());
        String date = ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME);
        return "From: feedback loop <fbl@" + hostname + ">\r\n"
                + "To: <" + feedbackAddress + ">\r\n"
                + "Date: " + date + "\r\n"
                + "Subject: complaint about a message to " + recipient + "\r\n"
                + "Message-ID: <" + boundary + "@" + hostname + ">\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=feedback-report; boundary=\"" + boundary + "\"\r\n"
                + "\r\n--" + boundary + "\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
                + "A recipient marked this message as spam.\r\n"
                + "\r\n--" + boundary + "\r\n"
                + "Content-Type: message/feedback-report\r\n\r\n"
                + "Feedback-Type: abuse\r\n"
                + "User-Agent: sluice-bench-sink/1\r\n"
                + "Version: 1\r\n"
                + "Original-Mail-From: " + returnPath + "\r\n"
                + "Original-Rcpt-To: <" + recipient + ">\r\n"
                + "Arrival-Date: " + date + "\r\n"
                + "\r\n--" + boundary + "\r\n"
                + "Content-Type: text/rfc822-headers\r\n\r\n"
                + "Return-Path: " + returnPath + "\r\n"
                + originalHeaders
                + "\r\n--" + boundary + "--\r\n";
    }

    /* Up to the blank line that ends the header section, CRLF line ends. */
    static String headerSection(byte[] message, int stored) {
        String text = new String(message, 0, stored, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        return end < 0 ? text.endsWith("\r\n") ? text : text + "\r\n" : text.substring(0, end + 2);
    }

    private void send(String report) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(target, CONNECT_TIMEOUT_MS);
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            expect(in, '2');
            command(out, in, "EHLO " + hostname, '2');
            command(out, in, "MAIL FROM:<fbl@" + hostname + ">", '2');
            command(out, in, "RCPT TO:<" + feedbackAddress + ">", '2');
            command(out, in, "DATA", '3');
            String body = report.replace("\r\n.", "\r\n..");
            out.write((body + ".\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            expect(in, '2');
            command(out, in, "QUIT", '2');
        }
    }

    private static void command(OutputStream out, InputStream in, String line, char want) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(in, want);
    }

    /* Reads one reply (all its lines) and checks its first digit. */
    private static void expect(InputStream in, char want) throws IOException {
        while (true) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            if (c == -1 || line.length() < 3) {
                throw new IOException("connection closed or bad reply: " + line);
            }
            if (line.length() == 3 || line.charAt(3) != '-') {
                if (line.charAt(0) != want) {
                    throw new IOException("refused: " + line);
                }
                return;
            }
        }
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
