package io.sluice.daemon.it;

import io.sluice.protocol.testing.SmtpSink;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mixed load that outlives the daemon it feeds: SMTP injectors and an HTTP injector that keep
 * reconnecting through kills, and a bouncer that answers some delivered messages with a DSN to
 * their VERP return path, as a remote MTA would. Every message that got a 250 or a 202 is
 * remembered by its Message-ID, every DSN that got a 250 by its recipient; what was in flight
 * when the daemon died was never promised and is not counted.
 */
final class CampaignLoad {
    /** Recipients whose local part ends in this digit get a DSN back once delivered. */
    private static final char BOUNCED_DIGIT = '7';
    private static final String OUTSIDER = "127.0.0.5";

    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    final Set<String> bouncesAcknowledged = ConcurrentHashMap.newKeySet();
    final AtomicInteger smtpAcknowledged = new AtomicInteger();
    final AtomicInteger httpAcknowledged = new AtomicInteger();
    final AtomicInteger interrupted = new AtomicInteger();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Set<String> bouncedSenders = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private final Pattern messageId = Pattern.compile("\r\nMessage-ID: <(camp-[a-z0-9]+)@src\\.test>\r\n");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final IntSupplier smtpPort;
    private final IntSupplier httpPort;
    private final SmtpSink sink;

    CampaignLoad(IntSupplier smtpPort, IntSupplier httpPort, SmtpSink sink) {
        this.smtpPort = smtpPort;
        this.httpPort = httpPort;
        this.sink = sink;
    }

    void start(int smtpInjectors) {
        for (int i = 0; i < smtpInjectors; i++) {
            threads.add(new Thread(this::injectSmtp, "campaign-smtp-" + i));
        }
        threads.add(new Thread(this::injectHttp, "campaign-http"));
        threads.add(new Thread(this::bounce, "campaign-bouncer"));
        threads.forEach(Thread::start);
    }

    /** Stops injecting; the bouncer goes on until {@link #close()}. */
    void stopInjecting() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            if (!t.getName().equals("campaign-bouncer")) {
                t.join(60_000);
            }
        }
    }

    void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.interrupt();
            t.join(10_000);
        }
    }

    private void injectSmtp() {
        while (!stop.get()) {
            try (SmtpDialogue smtp = SmtpDialogue.open(smtpPort.getAsInt())) {
                if (smtp.command("EHLO injector.test").code() != 250) {
                    pause();
                    continue;
                }
                while (!stop.get()) {
                    int n = next.getAndIncrement();
                    String id = "camp-s" + n;
                    if (smtp.command("MAIL FROM:<injector@src.test>").code() != 250
                            || smtp.command("RCPT TO:<r" + n + "@dest.test>").code() != 250) {
                        interrupted.incrementAndGet();
                        break;
                    }
                    SmtpDialogue.Reply reply = smtp.data(message(id, "r" + n + "@dest.test"));
                    if (reply.code() != 250) {
                        interrupted.incrementAndGet();
                        break;
                    }
                    acknowledged.add(id);
                    smtpAcknowledged.incrementAndGet();
                    Thread.sleep(2); // a steady load, not a flood: the drain after the last kill stays short
                }
            } catch (IOException e) {
                interrupted.incrementAndGet(); // the daemon died under us: this one was never promised
            } catch (InterruptedException e) {
                return;
            }
            pause();
        }
    }

    private void injectHttp() {
        while (!stop.get()) {
            int n = next.getAndIncrement();
            String id = "camp-h" + n;
            String rcpt = "r" + n + "@dest.test";
            String body = "{\"envelope_sender\":\"app@src.test\",\"recipients\":[{\"email\":\"" + rcpt + "\"}],"
                    + "\"content\":" + jsonString(message(id, rcpt)) + "}";
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + httpPort.getAsInt() + "/api/v1/inject"))
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    acknowledged.add(id);
                    httpAcknowledged.incrementAndGet();
                } else {
                    interrupted.incrementAndGet();
                    pause();
                }
            } catch (IOException e) {
                interrupted.incrementAndGet();
                pause();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A DSN back to the VERP return path of every delivered message whose recipient ends in 7. */
    private void bounce() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                for (SmtpSink.Message m : sink.messages()) {
                    String rcpt = m.rcptTo().isEmpty() ? "" : m.rcptTo().get(0);
                    int at = rcpt.indexOf('@');
                    if (at < 1 || rcpt.charAt(at - 1) != BOUNCED_DIGIT || !m.mailFrom().startsWith("b-")
                            || bouncedSenders.contains(m.mailFrom())) {
                        continue;
                    }
                    if (sendDsn(m.mailFrom(), rcpt)) {
                        bouncedSenders.add(m.mailFrom());
                        bouncesAcknowledged.add(rcpt);
                    }
                }
                Thread.sleep(3000); // each pass reads every dump file
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a dump file being written as we read it: the next pass sees it whole
            }
        }
    }

    private boolean sendDsn(String returnPath, String recipient) {
        String dsn = "From: MAILER-DAEMON@mx.dest.test\r\nTo: " + returnPath + "\r\n"
                + "Subject: Undelivered Mail Returned to Sender\r\nAuto-Submitted: auto-replied\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain\r\n\r\nThe mail system: <" + recipient + ">: user unknown\r\n\r\n"
                + "--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.dest.test\r\n\r\n"
                + "Final-Recipient: rfc822; " + recipient + "\r\nAction: failed\r\nStatus: 5.1.1\r\n"
                + "Diagnostic-Code: smtp; 550 5.1.1 <" + recipient + ">: Recipient address rejected: User unknown\r\n\r\n"
                + "--b1--\r\n";
        try (SmtpDialogue smtp = SmtpDialogue.open(smtpPort.getAsInt(), OUTSIDER)) {
            smtp.command("EHLO mx.dest.test");
            smtp.command("MAIL FROM:<>");
            if (smtp.command("RCPT TO:<" + returnPath + ">").code() != 250) {
                return false;
            }
            return smtp.data(dsn).code() == 250;
        } catch (IOException e) {
            return false;
        }
    }

    /** Message-ID → times seen at the sink, once every acknowledged one is there (or the time is up). */
    Map<String, Integer> awaitDelivered(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, Integer> seen;
        do {
            seen = delivered();
            if (seen.keySet().containsAll(acknowledged)) {
                return seen;
            }
            Thread.sleep(1000);
        } while (Instant.now().isBefore(deadline));
        return seen;
    }

    private Map<String, Integer> delivered() {
        Map<String, Integer> seen = new HashMap<>();
        for (SmtpSink.Message m : sink.messages()) {
            Matcher matcher = messageId.matcher(m.contentAsString());
            if (matcher.find()) {
                seen.merge(matcher.group(1), 1, Integer::sum);
            }
        }
        return seen;
    }

    private static String message(String id, String rcpt) {
        return "From: injector@src.test\r\nTo: " + rcpt + "\r\nSubject: " + id + "\r\nMessage-ID: <" + id
                + "@src.test>\r\nDate: Mon, 07 Dec 2026 10:00:00 +0000\r\n\r\n" + ("body of " + id + " ").repeat(40) + "\r\n";
    }

    private static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
