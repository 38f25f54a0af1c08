package io.sluice.daemon.outcome.feedback;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soft bounces each recipient drew recently, per tenant: what {@link HygienePolicy} counts
 * towards N. Kept in memory for the decision (no I/O but one short append per soft bounce) and in
 * an append-only file ({@value #FILE}) so a restart does not forget them: lines
 * {@code A <millis> <tenant> <recipient> <delivery>} for a bounce, {@code C <tenant> <recipient>}
 * when the recipient was suppressed (its count starts again). The file is rewritten with only the
 * live entries at open and whenever it holds more than twice what is live (plus a margin), so it
 * stays bounded by the tracked recipients.
 *
 * <p>Appends are not forced to disk: a killed process keeps them (page cache); a power cut may lose
 * the last ones, which only delays a suppression the next bounces make. In cluster mode the bounces
 * of other nodes arrive through {@link #applyShared} (see {@code cluster.ClusterSoftBounces}); this
 * node's are handed to the {@link Share} without waiting for it.
 */
public final class SoftBounceCounters implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SoftBounceCounters.class);
    static final String FILE = "soft-bounces.log";
    private static final int COMPACT_MARGIN = 10_000;

    /**
     * One soft bounce of one delivery.
     *
     * @param delivery the delivery it was about (message id and index; a node name in front when it
     *                 came from another node), so retries and duplicate reports count once; null: unknown
     */
    public record SoftBounce(String tenant, String recipient, Instant at, String delivery) {
        public SoftBounce {
            recipient = recipient.toLowerCase(Locale.ROOT);
        }
    }

    /** Where this node's soft bounces go to be shared; {@link #LOCAL} keeps them here. */
    public interface Share {
        Share LOCAL = b -> {
        };

        /** Called on the thread that recorded the bounce: must not block. */
        void recorded(SoftBounce bounce);
    }

    private final Map<String, Deque<SoftBounce>> byRecipient = new ConcurrentHashMap<>();
    private final int maxTracked;
    private final Duration horizon;
    private final Path file;
    private final AtomicLong lines = new AtomicLong();
    private FileChannel out;
    private volatile Share share = Share.LOCAL;

    private SoftBounceCounters(Path file, int maxTracked, Duration horizon) {
        this.file = file;
        this.maxTracked = maxTracked;
        this.horizon = horizon;
    }

    /** Counters that live in memory only (tests, tools). */
    public static SoftBounceCounters inMemory(int maxTracked) {
        return new SoftBounceCounters(null, maxTracked, Duration.ofDays(3650));
    }

    /**
     * Opens (or creates) the counters' file in {@code dir}, drops what is older than {@code horizon}
     * (the longest soft-bounce window of any tenant) and rewrites it compacted.
     */
    public static SoftBounceCounters open(Path dir, int maxTracked, Duration horizon, Instant now) throws IOException {
        Files.createDirectories(dir);
        SoftBounceCounters c = new SoftBounceCounters(dir.resolve(FILE), maxTracked, horizon);
        Instant oldest = now.minus(horizon);
        if (Files.exists(c.file)) {
            // InputStreamReader replaces bytes that are no UTF-8 (that line then fails to parse) where
            // Files.newBufferedReader would throw and keep the daemon from starting
            try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(c.file), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    c.replay(line, oldest);
                }
            }
        }
        synchronized (c) {
            c.compact();
        }
        return c;
    }

    private void replay(String line, Instant oldest) {
        String[] f = line.split("\t", -1);
        try {
            if (f.length == 5 && f[0].equals("A")) {
                Instant at = Instant.ofEpochMilli(Long.parseLong(f[1]));
                if (!at.isBefore(oldest)) {
                    add(new SoftBounce(f[2], f[3], at, f[4].isEmpty() ? null : f[4]), null);
                }
            } else if (f.length == 3 && f[0].equals("C")) {
                byRecipient.remove(key(f[1], f[2]));
            }
        } catch (RuntimeException torn) {
            // a line cut by a crash mid-append: the bounce it held is lost, the rest stands
        }
    }

    /** Shares this node's soft bounces from now on (cluster mode). */
    public void shareWith(Share share) {
        this.share = share == null ? Share.LOCAL : share;
    }

    /**
     * Records a soft bounce of this node and returns how many the recipient drew within
     * {@code window}, this one included; 0 when its delivery was counted already (a retry).
     */
    public int record(SoftBounce bounce, Duration window) {
        int count = add(bounce, window);
        if (count > 0) {
            append("A\t" + bounce.at().toEpochMilli() + '\t' + bounce.tenant() + '\t' + bounce.recipient() + '\t'
                    + (bounce.delivery() == null ? "" : bounce.delivery()), bounce);
            share.recorded(bounce);
        }
        return count;
    }

    /** A soft bounce another node recorded: counted and kept, never shared again, no decision made here. */
    public void applyShared(SoftBounce bounce) {
        if (bounce.at().isBefore(Instant.now().minus(horizon))) {
            return;
        }
        if (add(bounce, null) > 0) {
            append("A\t" + bounce.at().toEpochMilli() + '\t' + bounce.tenant() + '\t' + bounce.recipient() + '\t'
                    + (bounce.delivery() == null ? "" : bounce.delivery()), bounce);
        }
    }

    /** The recipient was suppressed: its count starts again. */
    public void clear(String tenant, String recipient) {
        if (byRecipient.remove(key(tenant, recipient)) != null) {
            append("C\t" + tenant + '\t' + recipient.toLowerCase(Locale.ROOT), null);
        }
    }

    /** Soft bounces the recipient drew within {@code window} before {@code now}. */
    public int count(String tenant, String recipient, Duration window, Instant now) {
        Deque<SoftBounce> q = byRecipient.get(key(tenant, recipient));
        if (q == null) {
            return 0;
        }
        synchronized (q) {
            return (int) q.stream().filter(b -> !b.at().isBefore(now.minus(window))).count();
        }
    }

    /** Recipients with a count. */
    public int tracked() {
        return byRecipient.size();
    }

    /* Adds unless its delivery is known already; drops what fell out of the window (null: of the horizon). */
    private int add(SoftBounce b, Duration window) {
        if (byRecipient.size() >= maxTracked && !byRecipient.containsKey(key(b.tenant(), b.recipient()))) {
            // bounded memory beats exact counts for a flood of distinct addresses: forget the lot, say so
            LOG.warn("soft-bounce counters reached {} recipients: counts start again", maxTracked);
            byRecipient.clear();
        }
        Deque<SoftBounce> q = byRecipient.computeIfAbsent(key(b.tenant(), b.recipient()), k -> new ArrayDeque<>());
        synchronized (q) {
            Instant oldest = b.at().minus(window != null ? window : horizon);
            q.removeIf(s -> s.at().isBefore(oldest));
            if (b.delivery() != null) {
                for (SoftBounce s : q) {
                    if (b.delivery().equals(s.delivery())) {
                        return 0;
                    }
                }
            }
            q.addLast(b);
            return q.size();
        }
    }

    private static String key(String tenant, String recipient) {
        return tenant + '\n' + recipient.toLowerCase(Locale.ROOT);
    }

    private synchronized void append(String line, SoftBounce b) {
        if (file == null || out == null || line.indexOf('\n') >= 0 || (b != null && (b.tenant().indexOf('\t') >= 0
                || b.recipient().indexOf('\t') >= 0 || (b.delivery() != null && b.delivery().indexOf('\t') >= 0)))) {
            return; // memory only, or a value the line format cannot hold: counted, not kept
        }
        try {
            if (behind) {
                compact(); // the rewrite holds every live entry, this one and those the disk refused
                behind = false;
                LOG.info("soft-bounce counters written to {} again, whole", file);
                return;
            }
            out.write(ByteBuffer.wrap((line + '\n').getBytes(StandardCharsets.UTF_8)));
            if (lines.incrementAndGet() > 2L * liveEntries() + COMPACT_MARGIN) {
                compact();
            }
        } catch (IOException | UncheckedIOException e) {
            // a full disk (issue 18, item 12): counting goes on in memory, and the next change
            // rewrites the file whole instead of appending after a line that may be torn
            behind = true;
            LOG.warn("soft-bounce counters not written to {}: {} (counts stay in memory; the file is rewritten"
                    + " whole at the next change that finds the disk taking writes)", file, e.toString());
        }
    }

    /** True after a write failed: the file lacks entries memory holds until a rewrite succeeds. */
    private boolean behind;

    private long liveEntries() {
        long n = 0;
        for (Deque<SoftBounce> q : byRecipient.values()) {
            n += q.size();
        }
        return n;
    }

    /* Rewrites the file with the live entries only: written aside, forced, then moved over the old one. */
    private void compact() {
        if (file == null) {
            return;
        }
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try {
            if (out != null) {
                out.close();
            }
            long n = 0;
            try (FileChannel w = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                StringBuilder sb = new StringBuilder();
                for (Deque<SoftBounce> q : byRecipient.values()) {
                    synchronized (q) {
                        for (SoftBounce b : q) {
                            sb.append("A\t").append(b.at().toEpochMilli()).append('\t').append(b.tenant()).append('\t')
                                    .append(b.recipient()).append('\t').append(b.delivery() == null ? "" : b.delivery()).append('\n');
                            n++;
                        }
                    }
                    if (sb.length() > 64 * 1024) {
                        w.write(ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)));
                        sb.setLength(0);
                    }
                }
                w.write(ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)));
                w.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            lines.set(n);
            out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("soft-bounce counters: cannot rewrite " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.warn("closing {}: {}", file, e.toString());
            }
            out = null;
        }
    }
}
