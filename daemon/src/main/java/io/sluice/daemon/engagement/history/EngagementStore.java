package io.sluice.daemon.engagement.history;

import io.sluice.daemon.config.EngagementSettings;
import io.sluice.queue.FreeSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Each recipient's last human open and click, per tenant, and the tracked deliveries they are
 * tied through (a token names a message id and recipient index, never an address). Kept in
 * memory and in one append-only file, {@code <spool dir>/engagement/engagement.tsv}, replayed at
 * start and rewritten from memory when it has grown to twice what it holds, so it survives a
 * restart. Callers (the tracking endpoints on the HTTP event loop, the event writer) never wait
 * on disk: changes are queued as lines and one thread ({@code sluice-engagement}) writes them
 * every {@link #FLUSH_EVERY}, sweeps and compacts; a crash may lose the last second (no fsync).
 *
 * <p>Bounded: at most {@code sluice.engagement.max-recipients} recipients (those engaged longest
 * ago go first) and {@code max-deliveries} deliveries (oldest first). Nothing older than
 * {@code sluice.engagement.retention} is shown, and it leaves memory and the file within the
 * hour. Privacy: an address, a tenant, a campaign and times; never an IP address or a user agent.
 * Thread-safe: the maps under this object's lock (a map update and a queued line per call), the
 * file ({@link EngagementFile}) under a second lock taken first, by the writer thread only (and by
 * {@link #sweep} and {@link #close}).
 */
public final class EngagementStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngagementStore.class);
    /** The file under the spool directory. */
    public static final String FILE = "engagement/engagement.tsv";
    private static final String DEFAULT_TENANT = "default";
    private static final Duration SWEEP_EVERY = Duration.ofHours(1);
    /** How often queued lines reach the file. */
    static final Duration FLUSH_EVERY = Duration.ofSeconds(1);

    /** One page of a listing; {@code next} is the cursor of the next page, null on the last. */
    public record Page(List<RecipientEngagement> entries, String next) {
    }

    private record DeliveryKey(String messageId, int recipientIndex) {
    }

    private final EngagementFile file;
    private final Duration retention;
    private final int maxRecipients;
    private final int maxDeliveries;
    private final Clock clock;
    private final LinkedHashMap<DeliveryKey, TrackedDelivery> deliveries = new LinkedHashMap<>();
    /** By tenant, NUL, address: one tenant's recipients are a range, in address order. */
    private final TreeMap<String, RecipientEngagement> recipients = new TreeMap<>();
    /** Lines of changes not yet written; guarded by {@code this}, swapped out by the writer. */
    private List<String> pending = new ArrayList<>();
    /** Guards the file: only one writer (the thread, or a caller of {@link #sweep} or {@link #close}). */
    private final Object io = new Object();
    private final Thread writer;
    private volatile boolean closed;
    private Instant lastSweep = Instant.MIN;

    /**
     * Opens (or creates) the store under {@code spoolDir} and replays its file.
     *
     * @param space the free-space guard of the spool's disk, or null for none
     */
    public EngagementStore(Path spoolDir, EngagementSettings settings, Clock clock, FreeSpace space) {
        this.retention = settings.retention();
        this.maxRecipients = settings.maxRecipients();
        this.maxDeliveries = settings.maxDeliveries();
        this.clock = clock;
        Path path = spoolDir.resolve(FILE);
        try {
            this.file = new EngagementFile(path, space);
            replay();
            dropExpired(clock.instant());
            file.rewrite(snapshot()); // without what expired while the daemon was down, and any torn last line
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the engagement store " + path, e);
        }
        this.writer = new Thread(this::writeLoop, "sluice-engagement");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Remembers a delivered recipient of tracked mail, so its opens and clicks find the address. */
    public synchronized void delivered(TrackedDelivery d) {
        Instant now = clock.instant();
        if (d.deliveredAt().isBefore(now.minus(retention)) || !storable(d.recipient())) {
            return;
        }
        TrackedDelivery n = new TrackedDelivery(d.messageId(), d.recipientIndex(), tenant(d.tenant()),
                d.campaign(), address(d.recipient()), d.deliveredAt());
        putDelivery(n);
        pending.add(EngagementFile.line(n));
    }

    /**
     * Records an open or click of a delivery. A human one moves the recipient's last open or click
     * on; a machine one changes nothing. Returns the recipient's engagement after it, or empty when
     * the delivery is not (or no longer) known.
     */
    public synchronized Optional<RecipientEngagement> hit(String messageId, int recipientIndex, boolean click,
                                                          boolean human, Instant at) {
        Instant now = clock.instant();
        TrackedDelivery d = deliveries.get(new DeliveryKey(messageId, recipientIndex));
        if (d == null || d.deliveredAt().isBefore(now.minus(retention))) {
            return Optional.empty(); // unknown, or known longer than the retention allows (not swept yet)
        }
        String key = key(d.tenant(), d.recipient());
        RecipientEngagement stored = recipients.get(key);
        RecipientEngagement before = stored == null ? null : stored.keptAfter(now.minus(retention));
        if (before == null) {
            before = new RecipientEngagement(d.tenant(), d.recipient(), null, null);
        }
        if (!human) {
            return Optional.of(before);
        }
        RecipientEngagement after = click ? before.clicked(at) : before.opened(at);
        recipients.put(key, after);
        pending.add(EngagementFile.line(after));
        if (recipients.size() > maxRecipients) {
            evictLeastRecent();
        }
        return Optional.of(after);
    }

    /** The recipient's engagement within the retention period, if any. */
    public synchronized Optional<RecipientEngagement> lookup(String tenant, String recipient) {
        Instant now = clock.instant();
        if (recipient == null) {
            return Optional.empty();
        }
        RecipientEngagement e = recipients.get(key(tenant(tenant), address(recipient)));
        return Optional.ofNullable(e == null ? null : e.keptAfter(now.minus(retention)));
    }

    /**
     * A tenant's recipients in address order, after the cursor {@code after} (an address, or null
     * for the first page), whose last activity is at or after {@code since} and before
     * {@code before} (either null: no bound).
     */
    public synchronized Page list(String tenant, Instant since, Instant before, String after, int limit) {
        Instant now = clock.instant();
        Instant cutoff = now.minus(retention);
        String t = tenant(tenant);
        String from = after == null || after.isBlank() ? key(t, "") : key(t, address(after));
        NavigableMap<String, RecipientEngagement> range = recipients.subMap(from, after == null || after.isBlank(),
                t + "\u0001", false);
        List<RecipientEngagement> page = new ArrayList<>();
        String next = null;
        for (RecipientEngagement e : range.values()) {
            RecipientEngagement v = e.keptAfter(cutoff);
            Instant last = v == null ? null : v.lastActivity();
            if (last == null || (since != null && last.isBefore(since)) || (before != null && !last.isBefore(before))) {
                continue;
            }
            if (page.size() == limit) {
                next = page.get(page.size() - 1).recipient();
                break;
            }
            page.add(v);
        }
        return new Page(page, next);
    }

    public synchronized int recipients() {
        return recipients.size();
    }

    public synchronized int deliveries() {
        return deliveries.size();
    }

    /** Drops what is older than the retention period now, from memory and (rewritten) the file. */
    public void sweep() {
        synchronized (io) {
            List<String> snapshot;
            synchronized (this) {
                dropExpired(clock.instant());
                snapshot = snapshot();
            }
            file.rewriteQuietly(snapshot);
        }
    }

    /** Writes what is queued and stops the writer. */
    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (io) {
            flushPending();
            file.close();
        }
    }

    /* The writer thread: queued lines out every FLUSH_EVERY; hourly the retention sweep; compaction when due. */
    private void writeLoop() {
        while (!closed) {
            try {
                Thread.sleep(FLUSH_EVERY.toMillis());
            } catch (InterruptedException e) {
                return; // close() writes what is left
            }
            try {
                synchronized (io) {
                    maintain();
                }
            } catch (RuntimeException e) {
                LOG.warn("engagement store writer: {}", e.toString());
            }
        }
    }

    private void maintain() {
        List<String> snapshot = null;
        synchronized (this) {
            Instant now = clock.instant();
            boolean sweep = Duration.between(lastSweep, now).compareTo(SWEEP_EVERY) >= 0;
            if (sweep && dropExpired(now) || file.appended() + pending.size() > Math.max(10_000,
                    2L * (deliveries.size() + recipients.size()))) {
                snapshot = snapshot(); // holds every queued change: those lines are dropped
            }
        }
        if (snapshot != null) {
            file.rewriteQuietly(snapshot);
        } else {
            flushPending();
        }
    }

    /* Under the io lock: writes the queued lines. */
    private void flushPending() {
        List<String> lines;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            lines = pending;
            pending = new ArrayList<>();
        }
        file.append(lines);
    }

    /* Under this lock: the file's new content, and the queued lines it makes needless. */
    private List<String> snapshot() {
        List<String> lines = new ArrayList<>(deliveries.size() + recipients.size());
        for (TrackedDelivery n : deliveries.values()) {
            lines.add(EngagementFile.line(n));
        }
        for (RecipientEngagement e : recipients.values()) {
            lines.add(EngagementFile.line(e));
        }
        pending = new ArrayList<>();
        return lines;
    }

    /* Forgets what is older than the retention period; true when anything was. */
    private boolean dropExpired(Instant now) {
        lastSweep = now;
        Instant cutoff = now.minus(retention);
        int d = deliveries.size();
        int r = recipients.size();
        boolean[] changed = {false};
        deliveries.values().removeIf(x -> x.deliveredAt().isBefore(cutoff));
        recipients.replaceAll((k, v) -> {
            RecipientEngagement kept = v.keptAfter(cutoff);
            changed[0] |= kept != v;
            return kept;
        });
        recipients.values().removeIf(v -> v == null);
        return changed[0] || d != deliveries.size() || r != recipients.size();
    }

    private void putDelivery(TrackedDelivery d) {
        deliveries.remove(new DeliveryKey(d.messageId(), d.recipientIndex()));
        deliveries.put(new DeliveryKey(d.messageId(), d.recipientIndex()), d);
        var it = deliveries.values().iterator();
        while (deliveries.size() > maxDeliveries && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    /* Past the cap, the hundredth engaged longest ago goes at once, so a full store does not sort on every hit. */
    private void evictLeastRecent() {
        int drop = Math.max(1, recipients.size() - maxRecipients + maxRecipients / 100);
        List<Map.Entry<String, RecipientEngagement>> oldest = new ArrayList<>(recipients.entrySet());
        oldest.sort(Comparator.comparing(e -> e.getValue().lastActivity()));
        for (int i = 0; i < drop && i < oldest.size(); i++) {
            recipients.remove(oldest.get(i).getKey());
        }
    }

    private void replay() throws IOException {
        file.replay(this::putDelivery, e -> recipients.put(key(e.tenant(), e.recipient()), e));
        if (recipients.size() > maxRecipients) {
            evictLeastRecent();
        }
    }

    /* Tabs and line ends would break the file's lines; SMTP addresses hold neither. */
    private static boolean storable(String s) {
        return s != null && !s.isBlank() && s.chars().noneMatch(c -> c == '\t' || c == '\n' || c == '\r');
    }

    private static String tenant(String t) {
        return t == null || t.isBlank() ? DEFAULT_TENANT : t.strip();
    }

    private static String address(String a) {
        return a.strip().toLowerCase(Locale.ROOT);
    }

    private static String key(String tenant, String address) {
        return tenant + "\u0000" + address;
    }
}
