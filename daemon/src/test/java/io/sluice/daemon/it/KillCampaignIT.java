package io.sluice.daemon.it;

import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kill -9 campaign of the hardening issue: mixed load (SMTP and HTTP injection, deliveries
 * in flight, DSNs arriving at the feedback path) while the daemon is killed at random moments
 * and started again each time. Afterwards: no acknowledged message lost, no acknowledged DSN
 * whose recipient is not suppressed, duplicates counted, and the spool's disk use back within one cycle
 * file of what it was before the load.
 *
 * <p>The suite runs a short campaign (3 kills); the figures in docs/reliability.md come from
 * {@code -Dsluice.campaign.kills=20}. The random moments come from a seed that is printed, and
 * can be given back with {@code -Dsluice.campaign.seed=N}.
 */
class KillCampaignIT {
    private static final Pattern OOB_RECIPIENT = Pattern.compile("\"type\":\"OOB\".*?\"recipient\":\"([^\"]+)\"");
    private static final Duration SETTLE = Duration.ofSeconds(240);

    @Test
    void nothingAcknowledgedIsLostAcrossRepeatedKills(@TempDir Path dir) throws Exception {
        int kills = Integer.getInteger("sluice.campaign.kills", 3);
        long seed = Long.getLong("sluice.campaign.seed", System.nanoTime());
        Random random = new Random(seed);
        try (SmtpSink sink = SmtpSink.start();
             DaemonProcess daemon = DaemonProcess.in(dir)
                     .set("sluice.smarthost", "127.0.0.1:" + sink.port())
                     .set("sluice.spool.durability", "fsync")
                     .set("sluice.relay.networks", "127.0.0.1/32")
                     .set("sluice.bounce.domain", "bounce.src.test")
                     .set("sluice.bounce.secret", "campaign-secret-0123456789")
                     .set("sluice.delivery.retry-initial", "1s")
                     .set("sluice.delivery.retry-max", "2s")
                     .set("sluice.spool.roll-cycle", "TEST_SECONDLY")
                     .set("sluice.spool.reclaim-interval", "1s")
                     .start()) {
            // the baseline is a spool that has carried one message: its current cycle files exist
            daemon.mail().send(java.util.List.of("warm-up@dest.test"), "");
            sink.awaitMessages(1, Duration.ofSeconds(30));
            Thread.sleep(3000);
            long baseline = queueDiskUse(daemon.spoolDir());
            CampaignLoad load = new CampaignLoad(daemon::smtpPort, daemon::httpPort, sink);
            load.start(2);
            Instant began = Instant.now();
            try {
                for (int k = 1; k <= kills; k++) {
                    Thread.sleep(1500 + random.nextInt(4500));
                    int before = load.acknowledged.size();
                    daemon.kill9();
                    System.out.printf("campaign: kill %d of %d after %d acknowledged%n", k, kills, before);
                    daemon.startAgain();
                }
                Thread.sleep(2000);
                load.stopInjecting();
                Map<String, Integer> delivered = load.awaitDelivered(SETTLE);
                awaitOobs(daemon, load.bouncesAcknowledged);
                Set<String> lost = new TreeSet<>(load.acknowledged);
                lost.removeAll(delivered.keySet());
                long duplicates = delivered.values().stream().mapToLong(n -> n - 1).sum();
                Set<String> oobMissing = new TreeSet<>(load.bouncesAcknowledged);
                oobMissing.removeAll(oobRecipients(daemon));
                Set<String> notSuppressed = notSuppressed(daemon, load.bouncesAcknowledged);
                long cycleFile = largestCycleFile(daemon.spoolDir());
                long after = awaitQueueDiskUse(daemon.spoolDir(), baseline + cycleFile);
                System.out.printf("campaign (seed %d): %d kills in %d s; acknowledged %d (SMTP %d, HTTP %d), %d attempts"
                                + " cut by a kill; delivered %d distinct, %d duplicate deliveries (%.3f %%), %d lost;"
                                + " DSNs acknowledged %d, recipient not suppressed %d, OOB event lost in a kill %d; spool disk use %d KB before the load,"
                                + " %d KB after draining (largest cycle file %d KB)%n",
                        seed, kills, Duration.between(began, Instant.now()).toSeconds(), load.acknowledged.size(),
                        load.smtpAcknowledged.get(), load.httpAcknowledged.get(), load.interrupted.get(),
                        delivered.size(), duplicates, 100.0 * duplicates / Math.max(1, delivered.size()), lost.size(),
                        load.bouncesAcknowledged.size(), notSuppressed.size(), oobMissing.size(), baseline / 1024, after / 1024,
                        cycleFile / 1024);
                assertTrue(lost.isEmpty(), "acknowledged but never delivered: " + lost);
                assertTrue(duplicates * 1000 < delivered.size(), "duplicates under 0.1 %: " + duplicates);
                // what a DSN does is suppress its recipient: that is written before the 250 and must
                // survive; its OOB event is written after, and one in flight when a kill comes is gone
                assertTrue(notSuppressed.isEmpty(), "DSN acknowledged but its recipient not suppressed: " + notSuppressed);
                assertTrue(load.acknowledged.size() > 100 * kills, "the load got through between kills: "
                        + load.acknowledged.size());
                assertTrue(after <= baseline + cycleFile, "spool disk use " + after + " B, baseline " + baseline
                        + " B, one cycle file " + cycleFile + " B");
                assertEquals(200, daemon.healthStatus());
            } finally {
                load.close();
            }
        }
    }

    /** The recipients RCPT still accepts: a suppressed one gets 550 at RCPT. */
    private static Set<String> notSuppressed(DaemonProcess daemon, Set<String> recipients) throws IOException {
        Set<String> open = new TreeSet<>();
        List<String> all = new ArrayList<>(recipients);
        for (int from = 0; from < all.size(); from += 500) {
            try (SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
                smtp.command("EHLO checker.test");
                smtp.command("MAIL FROM:<checker@src.test>");
                for (String rcpt : all.subList(from, Math.min(all.size(), from + 500))) {
                    if (smtp.command("RCPT TO:<" + rcpt + ">").code() != 550) {
                        open.add(rcpt);
                    }
                }
            }
        }
        return open;
    }

    private static void awaitOobs(DaemonProcess daemon, Set<String> recipients) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!oobRecipients(daemon).containsAll(recipients) && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
    }

    /** Recipients of OOB events; a line torn by a kill is skipped, not parsed. */
    private static Set<String> oobRecipients(DaemonProcess daemon) throws IOException {
        Set<String> found = new HashSet<>();
        if (!Files.exists(daemon.eventsFile())) {
            return found;
        }
        for (String line : Files.readAllLines(daemon.eventsFile())) {
            Matcher m = OOB_RECIPIENT.matcher(line);
            if (m.find()) {
                found.add(m.group(1));
            }
        }
        return found;
    }

    private static long awaitQueueDiskUse(Path spool, long bound) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        long use = queueDiskUse(spool);
        while (use > bound && Instant.now().isBefore(deadline)) {
            Thread.sleep(1000);
            use = queueDiskUse(spool);
        }
        return use;
    }

    /**
     * Bytes the spool's two queues (messages, journal) take on disk, in allocated blocks as du
     * counts them (mapped files are sparse). The suppression log and the soft-bounce counts that
     * live beside them by default grow with the bounces, as they should, and are not the spool.
     */
    private static long queueDiskUse(Path spool) throws Exception {
        long total = 0;
        for (String queue : new String[] {"messages", "journal"}) {
            Path dir = spool.resolve(queue);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            Process du = new ProcessBuilder("du", "-sk", dir.toString()).redirectErrorStream(true).start();
            String out = new String(du.getInputStream().readAllBytes()).trim();
            assertEquals(0, du.waitFor(), out);
            total += Long.parseLong(out.split("\\s+")[0]) * 1024;
        }
        return total;
    }

    private static long largestCycleFile(Path spool) throws Exception {
        long largest = 0;
        try (Stream<Path> files = Stream.concat(Files.walk(spool.resolve("messages")), Files.walk(spool.resolve("journal")))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".cq4")).toList()) {
                Process du = new ProcessBuilder("du", "-k", p.toString()).redirectErrorStream(true).start();
                String out = new String(du.getInputStream().readAllBytes()).trim();
                if (du.waitFor() == 0) {
                    largest = Math.max(largest, Long.parseLong(out.split("\\s+")[0]) * 1024);
                }
            }
        }
        return largest;
    }
}
