package io.sluice.queue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the kept spool of an earlier build holds ({@link SpoolUpgradeTest}): the messages, their
 * outcomes and what must still be live. Written once by {@link #main} with the build named in the
 * fixture's file name; never change this description without writing a new fixture beside the old
 * one, because the old fixture was written from it and the test reads it back against it.
 */
final class UpgradeWorkload {
    static final Instant T = Instant.parse("2026-12-07T12:00:00Z");

    /** One accepted message as the daemon spools it: envelope attributes as the listeners set them. */
    record Message(String sender, List<String> recipients, Map<String, String> attributes, byte[] body) {
        Envelope envelope(int i) {
            return new Envelope(sender, recipients, T.plusSeconds(i), attributes);
        }
    }

    private UpgradeWorkload() {
    }

    static List<Message> messages() {
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("tenant", i % 3 == 0 ? "default" : "acme");
            attributes.put("listener", i % 2 == 0 ? "smtp" : "http");
            attributes.put("client", "127.0.0." + (i + 1));
            if (i % 4 == 1) {
                attributes.put("campaign", "winter-" + i);
            }
            List<String> recipients = new ArrayList<>();
            for (int r = 0; r <= i % 3; r++) {
                recipients.add("user" + i + "." + r + "@example" + (r % 2) + ".test");
            }
            String sender = i == 5 ? "" : "bounces+" + i + "@sender.test"; // a null sender (a DSN) too
            out.add(new Message(sender, recipients, attributes, body(i)));
        }
        return out;
    }

    /** Bodies of several sizes, one past 64 KB, with 8-bit text and lines that start with a dot. */
    static byte[] body(int i) {
        StringBuilder b = new StringBuilder()
                .append("Received: from client.test (127.0.0.").append(i + 1).append(")\r\n")
                .append("From: Sender ").append(i).append(" <s").append(i).append("@sender.test>\r\n")
                .append("Subject: message ").append(i).append(" \u00e9t\u00e9\r\n\r\n");
        int lines = i == 7 ? 1200 : 3 + i * 5;
        for (int l = 0; l < lines; l++) {
            b.append(l % 9 == 0 ? "." : "").append("line ").append(l).append(" of message ").append(i)
                    .append(" -- the quick brown fox jumps over the lazy dog\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Outcomes journaled around a checkpoint, message index and recipient index to outcome; what is
     * not named stays live with no attempt.
     */
    static Map<List<Integer>, List<Outcome>> outcomes() {
        Map<List<Integer>, List<Outcome>> out = new LinkedHashMap<>();
        out.put(List.of(0, 0), List.of(new Outcome.Delivered(T.plusSeconds(60))));
        out.put(List.of(1, 0), List.of(new Outcome.Deferred(T.plusSeconds(60), 1, T.plusSeconds(360), "421 4.7.0 try later")));
        out.put(List.of(1, 1), List.of(new Outcome.Bounced(T.plusSeconds(61), "550 5.1.1 no such user")));
        out.put(List.of(2, 2), List.of(new Outcome.Deferred(T.plusSeconds(60), 1, T.plusSeconds(120), "451 greylisted"),
                new Outcome.Deferred(T.plusSeconds(130), 2, T.plusSeconds(730), "451 greylisted")));
        out.put(List.of(3, 0), List.of(new Outcome.Expired(T.plusSeconds(90))));
        out.put(List.of(4, 1), List.of(new Outcome.Removed(T.plusSeconds(95), "admin")));
        out.put(List.of(6, 0), List.of(new Outcome.Delivered(T.plusSeconds(100))));
        out.put(List.of(9, 0), List.of(new Outcome.Deferred(T.plusSeconds(200), 1, T.plusSeconds(500), "452 4.2.2 mailbox full")));
        out.put(List.of(10, 1), List.of(new Outcome.Delivered(T.plusSeconds(210))));
        return out;
    }

    /** Index of the first message accepted after the checkpoint (what follows is in the journal's tail only). */
    static final int AFTER_CHECKPOINT = 8;

    /**
     * Writes the workload into {@code args[0]} (an empty directory) with the build it runs on. The
     * kept fixture is that directory with each cycle file cut after its last non-zero 4 KB page,
     * its full length in {@code lengths.tsv}, zipped: a few KB instead of 350 MB of sparse file.
     */
    public static void main(String[] args) throws Exception {
        SpoolSettings settings = new SpoolSettings(java.nio.file.Path.of(args[0]), Durability.FSYNC,
                SpoolSettings.DEFAULT_MAX_MESSAGE_BYTES, 0, "HOURLY", SpoolProbe.NONE)
                .withReclaimInterval(java.time.Duration.ZERO);
        List<Message> messages = messages();
        List<MessageId> ids = new ArrayList<>();
        try (Spool spool = Spool.open(settings)) {
            for (int i = 0; i < messages.size(); i++) {
                if (i == AFTER_CHECKPOINT) {
                    for (var e : outcomes().entrySet()) {
                        if (e.getKey().get(0) < AFTER_CHECKPOINT) {
                            for (Outcome o : e.getValue()) {
                                spool.record(new DeliveryId(ids.get(e.getKey().get(0)), e.getKey().get(1)), o);
                            }
                        }
                    }
                    spool.reclaim();
                }
                ids.add(spool.accept(messages.get(i).envelope(i), messages.get(i).body()));
            }
            for (var e : outcomes().entrySet()) {
                if (e.getKey().get(0) >= AFTER_CHECKPOINT) {
                    for (Outcome o : e.getValue()) {
                        spool.record(new DeliveryId(ids.get(e.getKey().get(0)), e.getKey().get(1)), o);
                    }
                }
            }
        }
        java.nio.file.Files.writeString(java.nio.file.Path.of(args[0], "ids.txt"),
                String.join("\n", ids.stream().map(MessageId::value).toList()) + "\n");
    }
}
