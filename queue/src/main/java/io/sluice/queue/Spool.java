package io.sluice.queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The spool: accept a message durably, read it back by id, journal each recipient's outcome,
 * recover the live deliveries after a restart or crash, and give disk back.
 * All methods are safe to call from many threads.
 */
public final class Spool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

    static {
        disableChronicleAnalytics();
    }

    private final SpoolSettings settings;
    private final DiskGuard disk;
    private final Map<MessageId, LiveMessage> live = new ConcurrentHashMap<>();
    private final AtomicLong liveDeliveries = new AtomicLong();
    private final MessageLog messages;
    private final Journal journal;
    private final Reclaimer reclaimer;
    private final List<LiveDelivery> recovered;
    private final List<QuarantinedRecord> quarantined;
    private final ScheduledExecutorService background;
    private volatile boolean closed;

    /** A mail server must not phone home: set before any Chronicle class is touched. */
    static void disableChronicleAnalytics() {
        System.setProperty("chronicle.analytics.disable", "true");
    }

    private Spool(SpoolSettings s) throws IOException {
        this.settings = s;
        Path dir = s.directory();
        Files.createDirectories(dir.resolve("messages"));
        Files.createDirectories(dir.resolve("journal"));
        this.disk = new DiskGuard(dir, s.minFreeBytes());
        var rollCycle = RollCycleNames.resolve(s.rollCycle());
        this.messages = new MessageLog(dir.resolve("messages"), s.durability(), s.maxMessageBytes(), rollCycle,
                s.clock(), s.probe(), disk, this::appended);
        this.journal = new Journal(dir.resolve("journal"), rollCycle, s.clock(), disk);
        Quarantine quarantine = new Quarantine(dir);
        new Recovery(messages, journal, live, quarantine).run();
        this.quarantined = quarantine.kept();
        if (!quarantined.isEmpty()) {
            LOG.error("spool opened with {} quarantined record(s) under {}: see the lines above; the rest "
                    + "of the spool was recovered", quarantined.size(), dir.resolve("quarantine"));
        }
        List<LiveDelivery> out = new ArrayList<>();
        long count = 0;
        for (LiveMessage m : live.values()) {
            m.addLiveDeliveries(out);
            count += m.remaining();
        }
        out.sort(Comparator.comparing((LiveDelivery d) -> d.id().message()).thenComparingInt(d -> d.id().recipient()));
        this.recovered = List.copyOf(out);
        this.liveDeliveries.set(count);
        this.reclaimer = new Reclaimer(messages, journal, live, disk, s.copyForwardMaxMessages(), s.probe());
        if (!s.reclaimInterval().isZero() && !s.reclaimInterval().isNegative()) {
            this.background = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sluice-spool-reclaim");
                t.setDaemon(true);
                return t;
            });
            long ms = s.reclaimInterval().toMillis();
            background.scheduleWithFixedDelay(this::reclaim, ms, ms, TimeUnit.MILLISECONDS);
        } else {
            this.background = null;
        }
    }

    /** Opens (or creates) the spool in {@code s.directory()} and runs recovery. */
    public static Spool open(SpoolSettings s) throws SpoolException {
        try {
            return new Spool(s);
        } catch (SpoolException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SpoolException("cannot open spool in " + s.directory() + ": " + e.getMessage(), e);
        }
    }

    /** Deliveries that were live when the spool was opened, ordered by message id then recipient. */
    public List<LiveDelivery> recovered() {
        return recovered;
    }

    /** Records the last recovery could not decode; their bytes are under {@code quarantine/}. */
    public List<QuarantinedRecord> quarantined() {
        return quarantined;
    }

    /** Appends the message; returns once it is durable as configured. */
    public MessageId accept(Envelope e, byte[] body) throws SpoolException {
        return accept(e, MessagePieces.of(body));
    }

    /**
     * Appends the message given in pieces (the record is the one of their concatenation); returns
     * once it is durable as configured. Whatever happens, including an interrupt, it returns only
     * once the writer no longer reads the pieces' arrays: the caller may reuse them then.
     */
    public MessageId accept(Envelope e, MessagePieces body) throws SpoolException {
        PendingAppend p = enqueue(e, body, true);
        try {
            p.done.get();
            return p.id;
        } catch (InterruptedException ie) {
            p.cancelOrAwaitWrite();
            Thread.currentThread().interrupt();
            throw new SpoolException("interrupted waiting for the append of " + p.id
                    + "; it may still become durable", ie);
        } catch (ExecutionException ee) {
            live.remove(p.id);
            throw asSpoolException(ee.getCause());
        }
    }

    /** Like {@link #accept}, completing when the message is durable. */
    public CompletableFuture<MessageId> acceptAsync(Envelope e, byte[] body) {
        PendingAppend p;
        try {
            p = enqueue(e, MessagePieces.of(body), false);
        } catch (SpoolException ex) {
            return CompletableFuture.failedFuture(ex);
        }
        return p.done.handle((index, err) -> {
            if (err != null) {
                live.remove(p.id);
                throw new CompletionException(asSpoolException(err));
            }
            return p.id;
        });
    }

    /* lead: the caller waits for the append anyway, so it may write it itself (see MessageLog) */
    private PendingAppend enqueue(Envelope e, MessagePieces body, boolean lead) throws SpoolException {
        if (closed) {
            throw new SpoolException("spool is closed");
        }
        if (body.length() > settings.maxMessageBytes()) {
            throw new SpoolException("message of " + body.length() + " bytes exceeds maxMessageBytes "
                    + settings.maxMessageBytes());
        }
        if (overLiveLimit(e.recipients().size())) {
            // every live delivery is held in memory until its final outcome: past the limit the sender
            // waits (452 / 507) rather than the heap filling up while delivery falls behind
            throw new SpoolFullException("the spool holds " + liveDeliveries.get() + " live deliveries, the most allowed is "
                    + settings.maxLiveDeliveries() + " (delivery is behind intake)");
        }
        int envelopeBytes = MessageRecord.envelopeSizeEstimate(e);
        if (envelopeBytes > MessageRecord.MAX_ENVELOPE_BYTES) {
            throw new SpoolException("envelope too large: ~" + envelopeBytes + " bytes");
        }
        // Chronicle writes a header and index entries too; 4 KiB covers them generously.
        long need = body.length() + envelopeBytes + 4096L;
        disk.reserve(need);
        PendingAppend p = PendingAppend.message(MessageId.next(), e, body, need);
        if (lead) {
            messages.submitAndLead(p);
        } else {
            messages.submit(p);
        }
        return p;
    }

    /** Hook of the thread that wrote the record: the message is in the mapped file, so it is live from now on. */
    private void appended(PendingAppend p) {
        if (!p.isCopy()) {
            live.put(p.id, new LiveMessage(p.id, p.envelope, p.index));
            liveDeliveries.addAndGet(p.envelope.recipients().size());
        }
    }

    /** The envelope and body of a live message. */
    public StoredMessage read(MessageId id) throws SpoolException {
        for (int attempt = 0; attempt < 3; attempt++) {
            LiveMessage m = live.get(id);
            if (m == null) {
                throw new SpoolException("no live message " + id);
            }
            try {
                StoredMessage s = messages.read(id, m.index());
                if (s != null) {
                    return s;
                }
            } catch (RuntimeException e) {
                if (attempt == 2) {
                    throw new SpoolException("cannot read " + id + ": " + e.getMessage(), e);
                }
            }
            // moved by reclaim between the lookup and the read: look again
        }
        throw new SpoolException("cannot read " + id + ": record not found");
    }

    /** The deliveries of one message that have no final outcome yet; empty when the message is not live. */
    public List<LiveDelivery> liveDeliveries(MessageId id) {
        LiveMessage m = live.get(id);
        List<LiveDelivery> out = new ArrayList<>();
        if (m != null) {
            m.addLiveDeliveries(out);
        }
        return out;
    }

    /**
     * Journals an outcome. Never waits for a sync. Outcomes for unknown or already-final
     * messages are ignored (a late retry result after a final outcome changes nothing).
     *
     * @throws IllegalArgumentException when the recipient index is out of range
     */
    public void record(DeliveryId id, Outcome outcome) {
        synchronized (journal.lock()) {
            LiveMessage m = live.get(id.message());
            if (m == null) {
                return;
            }
            if (id.recipient() >= m.recipients()) {
                throw new IllegalArgumentException("message " + id.message() + " has " + m.recipients()
                        + " recipients, got index " + id.recipient());
            }
            if (m.isDone(id.recipient())) {
                return;
            }
            if (!journal.outcome(id, outcome)) {
                LOG.error("disk full: outcome {} for {} not journaled; it may be retried after a restart",
                        outcome, id);
            }
            boolean wasFinal = outcome.isFinal();
            if (m.apply(id.recipient(), outcome)) {
                live.remove(id.message());
            }
            if (wasFinal) {
                liveDeliveries.decrementAndGet();
            }
        }
    }

    /** One reclaim pass: copy-forward and delete old message cycles, checkpoint, trim the journal. */
    public void reclaim() {
        if (closed) {
            return;
        }
        try {
            reclaimer.run();
        } catch (IOException | RuntimeException e) {
            LOG.error("spool reclaim pass failed", e);
        }
    }

    public SpoolStatus status() {
        long free = disk.usableBytes();
        return new SpoolStatus(free, disk.minFreeBytes(), disk.degraded(free) || overLiveLimit(1), live.size(),
                liveDeliveries.get(), messages.files().bytesOnDisk() + journal.files().bytesOnDisk(),
                quarantined.size());
    }

    /* Whether {@code adding} more live deliveries would pass the configured limit (none when zero). */
    private boolean overLiveLimit(int adding) {
        long limit = settings.maxLiveDeliveries();
        return limit > 0 && liveDeliveries.get() + adding > limit;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (background != null) {
            background.shutdown();
            try {
                background.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        messages.close(); // drains queued appends first
        try {
            reclaimer.checkpoint(); // makes the next open quick
        } catch (RuntimeException e) {
            LOG.warn("final checkpoint failed", e);
        }
        journal.close();
    }

    private static SpoolException asSpoolException(Throwable t) {
        if (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof SpoolException se) {
            return se;
        }
        if (t instanceof CancellationException) {
            return new SpoolException("append cancelled");
        }
        return new SpoolException("append failed: " + t, t);
    }
}
