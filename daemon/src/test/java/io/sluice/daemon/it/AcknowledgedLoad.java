package io.sluice.daemon.it;

import io.sluice.protocol.testing.SmtpSink;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A load that remembers what the daemon promised: injector threads send numbered messages and
 * record the Message-ID of every one that got a 250; each stops at its first refusal (kept in
 * {@link #refusals}) or I/O error (a killed or stopping daemon). Then the sink is checked for
 * every acknowledged message. Used by the kill -9 and SIGTERM tests.
 */
final class AcknowledgedLoad {
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    final Set<String> refusals = ConcurrentHashMap.newKeySet();
    final AtomicInteger next = new AtomicInteger();
    private final String prefix;
    private final int total;
    private final Pattern messageId;

    AcknowledgedLoad(String prefix, int total) {
        this.prefix = prefix;
        this.total = total;
        this.messageId = Pattern.compile("\r\nMessage-ID: <(" + Pattern.quote(prefix) + "[a-z0-9]+)@src\\.test>\r\n");
    }

    /** Starts injector threads that take message numbers until the total is sent. */
    Thread[] start(int port, int injectors) {
        Thread[] threads = new Thread[injectors];
        for (int i = 0; i < injectors; i++) {
            threads[i] = new Thread(() -> inject(port), "injector-" + i);
            threads[i].start();
        }
        return threads;
    }

    private void inject(int port) {
        try (SmtpDialogue smtp = SmtpDialogue.open(port)) {
            smtp.command("EHLO injector.test");
            int n;
            while ((n = next.getAndIncrement()) < total) {
                String id = prefix + n;
                SmtpDialogue.Reply mail = smtp.command("MAIL FROM:<injector@src.test>");
                if (mail.code() != 250) {
                    refusals.add(mail.toString());
                    return;
                }
                smtp.command("RCPT TO:<sink-" + n + "@dest.test>");
                SmtpDialogue.Reply reply = smtp.data("Subject: " + id + "\r\nMessage-ID: <" + id
                        + "@src.test>\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n\r\n"
                        + ("body of " + id + " ").repeat(40) + "\r\n");
                if (reply.code() != 250) {
                    refusals.add(reply.toString());
                    return;
                }
                acknowledged.add(id);
            }
        } catch (IOException e) {
            // the daemon went away under us: what was acknowledged so far is recorded
        }
    }

    void awaitAcknowledged(int n) throws InterruptedException {
        while (acknowledged.size() < n) {
            Thread.sleep(5);
        }
    }

    /** Message-ID → times seen at the sink, once every acknowledged one is there (or the time is up). */
    Map<String, Integer> awaitDelivered(SmtpSink sink, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, Integer> seen;
        do {
            seen = new HashMap<>();
            for (SmtpSink.Message m : sink.messages()) {
                Matcher matcher = messageId.matcher(m.contentAsString());
                if (matcher.find()) {
                    seen.merge(matcher.group(1), 1, Integer::sum);
                }
            }
            if (seen.keySet().containsAll(acknowledged)) {
                return seen;
            }
            Thread.sleep(1000);
        } while (Instant.now().isBefore(deadline));
        return seen;
    }
}
