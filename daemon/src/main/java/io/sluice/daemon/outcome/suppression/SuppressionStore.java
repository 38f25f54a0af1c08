package io.sluice.daemon.outcome.suppression;

import io.sluice.daemon.label.Tenant;
import io.sluice.queue.FreeSpace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Who must not be mailed: per tenant, plus a global list every tenant obeys; an entry names one
 * address or a whole domain ({@code @example.com}). Embedded: a Chronicle change log under
 * {@code <spool>/suppression} (durable, the full audit trail) and an in-memory hash index rebuilt
 * from it at start (lookups in tens of nanoseconds, no I/O). Thread-safe; changes are serialised.
 *
 * <p>Addresses compare case-insensitively (domains are; local parts in practice are treated so by
 * every large provider, and a suppression must not be dodged by changing case).
 */
public final class SuppressionStore implements AutoCloseable {
    /** The tenant of the global list. */
    public static final String GLOBAL = "*";
    /** The tenant of mail that names none. */
    public static final String DEFAULT_TENANT = Tenant.DEFAULT_NAME;
    /** Envelope attribute naming the tenant. */
    public static final String TENANT_ATTRIBUTE = Tenant.ATTRIBUTE;

    private final SuppressionLog log;
    /** Address entries of tenants: the big table (one probe per lookup, usually a cache miss). */
    private final SuppressionIndex index;
    /**
     * Domain entries and the global list: usually small, so they stay in cache and the three
     * extra probes of a lookup cost little (measured: docs/benchmarks.md).
     */
    private final SuppressionIndex lists;
    private final Clock clock;
    private final Consumer<SuppressionChange> listener;
    private final List<Runnable> localChangeWatchers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Path dir;
    private final long rebuildMillis;
    /**
     * Free space the log's disk keeps: the log maps 16 MB blocks, so twice that plus room for the
     * spool's own floor checks to notice first on a shared disk (issue 18, item 12).
     */
    public static final long DEFAULT_MIN_FREE = 64L << 20;
    /** A generous bound on one change record. */
    private static final int CHANGE_BYTES = 4096;

    private final FreeSpace space;
    private final KeyHashing hashing;
    private final long globalHash;
    /** Set once any domain / global entry exists: until then a lookup is one probe, not four. */
    private volatile boolean anyDomain;
    private volatile boolean anyGlobal;

    private SuppressionStore(Path dir, Clock clock, int expected, Consumer<SuppressionChange> listener,
                             KeyHashing hashing, FreeSpace space) {
        this.dir = dir;
        this.space = space;
        this.hashing = hashing;
        this.globalHash = hashing.tenantHash(GLOBAL);
        this.clock = clock;
        this.listener = listener == null ? c -> { } : listener;
        this.log = new SuppressionLog(dir);
        this.index = new SuppressionIndex(expected, log::owns);
        this.lists = new SuppressionIndex(1024, log::owns);
        long start = System.nanoTime();
        log.replay((idx, action, tenant, key, reason, expiresMillis) -> {
            indexFor(tenant, key).put(hashing.hash(tenant, key, 0), tenant, key, idx,
                    action == SuppressionLog.ACTION_ADD ? reason : 0, (expiresMillis + 999) / 1000);
            noteKind(tenant, key);
        });
        this.rebuildMillis = (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * Opens (or creates) the store in {@code dir} and rebuilds the index from the log.
     *
     * @param expected entries to size the index for (it grows past it)
     * @param listener told of every change (for the event log); may be null
     */
    public static SuppressionStore open(Path dir, Clock clock, int expected, Consumer<SuppressionChange> listener) {
        return open(dir, clock, expected, listener, KeyHashing.FNV);
    }

    /**
     * As {@link #open(Path, Clock, int, Consumer)} with the free-space floor under the log chosen
     * ({@code sluice.suppression.min-free}; 0 turns the check off).
     */
    public static SuppressionStore open(Path dir, Clock clock, int expected, Consumer<SuppressionChange> listener,
                                        long minFree) {
        try {
            return open(dir, clock, expected, listener, KeyHashing.FNV, FreeSpace.of(dir, minFree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As above with the index's hashing chosen (tests: one under which keys collide). */
    static SuppressionStore open(Path dir, Clock clock, int expected, Consumer<SuppressionChange> listener,
                                 KeyHashing hashing) {
        try {
            return open(dir, clock, expected, listener, hashing, FreeSpace.of(dir, DEFAULT_MIN_FREE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As above with the free-space floor chosen (tests: a disk they fill and empty). */
    static SuppressionStore open(Path dir, Clock clock, int expected, Consumer<SuppressionChange> listener,
                                 KeyHashing hashing, FreeSpace space) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SuppressionStore(dir, clock, expected, listener, hashing, space);
    }

    /**
     * A change refused because the log's disk is below its free-space floor: nothing was written,
     * the store is unchanged and keeps answering lookups; the same change is taken once space
     * returns. Callers answer "try again later" (SMTP 452 4.3.1, HTTP 503).
     */
    public static final class DiskFull extends RuntimeException {
        public DiskFull(String message) {
            super(message, null, false, false);
        }
    }

    /* Before any append: the log is memory-mapped, and a page the disk cannot back raises SIGBUS. */
    private void ensureSpace() {
        if (!space.allows(CHANGE_BYTES)) {
            throw new DiskFull(space.describe(dir) + "; the suppression change was not made");
        }
    }

    /** The directory holding the change log (cluster mode keeps its cursors beside it). */
    public Path dir() {
        return dir;
    }

    /** How long the index rebuild took at open. */
    public long rebuildMillis() {
        return rebuildMillis;
    }

    /** Entries in force (not removed; expired ones count until replaced). */
    public int size() {
        return index.active() + lists.active();
    }

    private SuppressionIndex indexFor(CharSequence tenant, CharSequence key) {
        boolean small = (key.length() > 0 && key.charAt(0) == '@') || (tenant.length() == 1 && tenant.charAt(0) == '*');
        return small ? lists : index;
    }

    /**
     * True when {@code address} is suppressed for {@code tenant}: by itself or its domain, on the
     * tenant's list or the global one. No allocation, no I/O, no lock.
     */
    public boolean isSuppressed(String tenant, String address) {
        return matching(readTenant(tenant), address, clock.millis() / 1000) >= 0;
    }

    /** For reads any name will do (a name no list can have matches nothing); null/blank is the default. */
    private static String readTenant(String tenant) {
        return tenant == null || tenant.isBlank() ? DEFAULT_TENANT : tenant;
    }

    /** The entry that suppresses {@code address} for {@code tenant}, if any (reads the log). */
    public Optional<SuppressionEntry> lookup(String tenant, String address) {
        long at = matching(readTenant(tenant), address, clock.millis() / 1000);
        if (at < 0) {
            return Optional.empty();
        }
        SuppressionLog.Read r = log.read(at);
        return r == null ? Optional.empty() : Optional.of(SuppressionEntry.of(r.change()));
    }

    private void noteKind(CharSequence tenant, CharSequence key) {
        if (key.length() > 0 && key.charAt(0) == '@' && !anyDomain) {
            anyDomain = true;
        }
        if (tenant.length() == 1 && tenant.charAt(0) == '*' && !anyGlobal) {
            anyGlobal = true;
        }
    }

    /** The log index of the entry that suppresses {@code address} for {@code tenant}, or -1. */
    private long matching(String tenant, String address, long nowSec) {
        if (address == null) {
            return -1;
        }
        long th = hashing.tenantHash(tenant);
        long addressHash = hashing.keyHash(address, 0);
        long found = index.activeIndex(hashing.combine(th, addressHash), nowSec, tenant, address, 0);
        if (found >= 0) {
            return found;
        }
        int at = address.lastIndexOf('@');
        boolean domains = anyDomain && at >= 0;
        long domainHash = domains ? hashing.keyHash(address, at) : 0;
        if (domains && (found = lists.activeIndex(hashing.combine(th, domainHash), nowSec, tenant, address, at)) >= 0) {
            return found;
        }
        if (anyGlobal && !GLOBAL.equals(tenant)) {
            if ((found = lists.activeIndex(hashing.combine(globalHash, addressHash), nowSec, GLOBAL, address, 0)) >= 0) {
                return found;
            }
            if (domains && (found = lists.activeIndex(hashing.combine(globalHash, domainHash), nowSec, GLOBAL,
                    address, at)) >= 0) {
                return found;
            }
        }
        return -1;
    }

    /** Bytes held by the in-memory index. */
    public long indexBytes() {
        return index.bytes() + lists.bytes();
    }

    /**
     * Suppresses {@code key} (an address or {@code @domain}) for {@code tenant}. Returns the change,
     * or empty when an entry at least as strong is already in force (repeated bounces of one
     * address do not grow the log).
     *
     * @param expires null for never
     */
    public Optional<SuppressionChange> add(String tenant, String key, SuppressionReason reason, String source,
                                           String note, Instant expires) {
        Optional<SuppressionChange> c = addQuietly(tenant, key, reason, source, note, expires);
        c.ifPresent(this::announce);
        return c;
    }

    private synchronized Optional<SuppressionChange> addQuietly(String tenant, String key, SuppressionReason reason,
                                                                String source, String note, Instant expires) {
        String t = tenant(tenant);
        String k = normalizeKey(key);
        long hash = hashing.hash(t, k, 0);
        SuppressionIndex index = indexFor(t, k);
        Instant now = clock.instant();
        long latest = index.latest(hash, t, k);
        SuppressionLog.Read current = latest < 0 ? null : log.read(latest);
        if (current != null && index.isActive(hash, now.getEpochSecond(), t, k)) {
            Instant had = current.change().expires();
            if (had == null || (expires != null && !expires.isAfter(had))) {
                return Optional.empty();
            }
        }
        ensureSpace();
        SuppressionChange change = new SuppressionChange(SuppressionChange.ADD, t, k, reason, source, note,
                after(now, current), expires);
        long idx = log.append(change, latest);
        noteKind(t, k);
        index.put(hash, t, k, idx, reason.code(), expires == null ? 0 : (expires.toEpochMilli() + 999) / 1000);
        return Optional.of(change);
    }

    /** Lifts the suppression of {@code key} for {@code tenant}; empty when there was none. */
    public Optional<SuppressionChange> remove(String tenant, String key, String source, String note) {
        Optional<SuppressionChange> c;
        synchronized (this) {
            String t = tenant(tenant);
            String k = normalizeKey(key);
            long hash = hashing.hash(t, k, 0);
            SuppressionIndex index = indexFor(t, k);
            long latest = index.latest(hash, t, k);
            SuppressionLog.Read current = latest < 0 ? null : log.read(latest);
            if (current == null || !current.change().isAdd()) {
                return Optional.empty();
            }
            ensureSpace();
            SuppressionChange change = new SuppressionChange(SuppressionChange.REMOVE, t, k, current.change().reason(),
                    source, note, after(clock.instant(), current), null);
            index.put(hash, t, k, log.append(change, latest), (byte) 0, 0);
            c = Optional.of(change);
        }
        c.ifPresent(this::announce);
        return c;
    }

    private void announce(SuppressionChange change) {
        listener.accept(change);
        for (Runnable w : localChangeWatchers) {
            w.run();
        }
    }

    /**
     * The time a new change of a key is stamped with: now, or just after the key's latest change
     * when that one is stamped later (another node's clock runs ahead). A change made after seeing
     * another is thus always the newer one, which is what replicas compare ({@link #applyReplicated}).
     */
    private static Instant after(Instant now, SuppressionLog.Read current) {
        if (current == null || now.isAfter(current.change().at())) {
            return now;
        }
        return current.change().at().plusMillis(1);
    }

    // ---- cluster mode: changes made on other nodes, and this node's changes to publish ----

    /** A change as the log holds it: its position, and the node it was replicated from (empty: made here). */
    public record LoggedChange(long index, SuppressionChange change, String origin) {
        public boolean local() {
            return origin.isEmpty();
        }
    }

    /** Runs {@code watcher} after each change made on this node (not replicated ones); it must not block. */
    public void onLocalChange(Runnable watcher) {
        localChangeWatchers.add(watcher);
    }

    /**
     * Up to {@code max} logged changes after log index {@code after} (-1: from the start), local
     * and replicated, in order. Returns the index of the last one given, or {@code after}.
     */
    public long changesAfter(long after, int max, Consumer<LoggedChange> sink) {
        return log.readAfter(after, max, r -> sink.accept(new LoggedChange(r.index(), r.change(), r.origin())));
    }

    /** The index of the newest logged change, or -1 for an empty log. */
    public long lastLogIndex() {
        return log.lastIndex();
    }

    /** The latest change of every (tenant, key) this store ever held, removals included. Reads the log. */
    public void forEachLatest(Consumer<SuppressionChange> sink) {
        java.util.function.LongConsumer each = idx -> {
            SuppressionLog.Read r = log.read(idx);
            if (r != null) {
                sink.accept(r.change());
            }
        };
        lists.forEachLatest(each);
        index.forEachLatest(each);
    }

    /**
     * Applies a change another node made (cluster mode). Last writer wins: the change applies only
     * when it is newer than this node's latest change of the same key (same instant: an add beats a
     * remove, so nodes converge on "no"), so applying one twice, late or out of order is harmless.
     * It is logged with its origin, so lookups, history and a restart during a Redis outage see it
     * and the publisher knows it is not this node's to send; the listener is not told (the origin
     * node's event log already has the event, and webhooks must not see it once per node).
     *
     * @return true when it changed this store
     */
    public boolean applyReplicated(SuppressionChange change, String origin) {
        if (origin == null || origin.isEmpty()) {
            throw new IllegalArgumentException("a replicated change needs its origin");
        }
        if (change.at() == null || (change.isAdd() && change.reason() == null)) {
            throw new IllegalArgumentException("incomplete change " + change);
        }
        String t = tenant(change.tenant());
        String k = normalizeKey(change.key());
        long hash = hashing.hash(t, k, 0);
        SuppressionIndex index = indexFor(t, k);
        synchronized (this) {
            long latest = index.latest(hash, t, k);
            SuppressionLog.Read current = latest < 0 ? null : log.read(latest);
            if (current != null && !supersedes(change, current.change())) {
                return false;
            }
            ensureSpace();
            SuppressionChange c = new SuppressionChange(change.isAdd() ? SuppressionChange.ADD : SuppressionChange.REMOVE,
                    t, k, change.reason(), change.source() == null ? "cluster" : change.source(), change.note(),
                    change.at(), change.isAdd() ? change.expires() : null);
            long idx = log.append(c, latest, origin);
            if (c.isAdd()) {
                noteKind(t, k);
                index.put(hash, t, k, idx, c.reason().code(), c.expires() == null ? 0 : (c.expires().toEpochMilli() + 999) / 1000);
            } else {
                // kept even when nothing was suppressed here: a late, older add must not win over it
                index.put(hash, t, k, idx, (byte) 0, 0);
            }
            return true;
        }
    }

    static boolean supersedes(SuppressionChange incoming, SuppressionChange current) {
        int cmp = incoming.at().compareTo(current.at());
        if (cmp != 0) {
            return cmp > 0;
        }
        return incoming.isAdd() && !current.isAdd();
    }

    /** Every change of {@code key} for {@code tenant}, newest first. */
    public List<SuppressionChange> history(String tenant, String key) {
        String t = tenant(tenant);
        String k = normalizeKey(key);
        List<SuppressionChange> out = new ArrayList<>();
        long idx = indexFor(t, k).latest(hashing.hash(t, k, 0), t, k);
        while (idx >= 0 && out.size() < 10_000) {
            SuppressionLog.Read r = log.read(idx);
            if (r == null) {
                break;
            }
            out.add(r.change());
            idx = r.previous();
        }
        return out;
    }

    /** Every entry in force, of one tenant or (tenant null) all; for export. Reads the log. */
    public void forEach(String tenant, Consumer<SuppressionEntry> sink) {
        String t = tenant == null ? null : tenant(tenant);
        Instant now = clock.instant();
        java.util.function.LongConsumer each = idx -> {
            SuppressionLog.Read r = log.read(idx);
            if (r == null || !r.change().isAdd() || (t != null && !t.equals(r.change().tenant()))) {
                return;
            }
            if (r.change().expires() == null || r.change().expires().isAfter(now)) {
                sink.accept(SuppressionEntry.of(r.change()));
            }
        };
        lists.forEachPresent(each);
        index.forEachPresent(each);
    }

    /** Flushes the log to disk (after a bulk import; mmap alone already survives a killed process). */
    public void sync() {
        log.sync();
    }

    /** {@code default} for null/blank; else checked: letters, digits, {@code ._-}, or {@code *}. */
    public static String tenant(String tenant) {
        if (tenant == null || tenant.isBlank()) {
            return DEFAULT_TENANT;
        }
        return GLOBAL.equals(tenant) ? tenant : new Tenant(tenant).name();
    }

    /** Lower-cased address or {@code @domain}, angle brackets and a trailing dot removed. */
    public static String normalizeKey(String key) {
        if (key == null) {
            throw new IllegalArgumentException("no address");
        }
        String k = key.strip();
        if (k.startsWith("<") && k.endsWith(">")) {
            k = k.substring(1, k.length() - 1);
        }
        if (k.endsWith(".")) {
            k = k.substring(0, k.length() - 1);
        }
        k = k.toLowerCase(Locale.ROOT);
        int at = k.lastIndexOf('@');
        if (at < 0 || at == k.length() - 1 || k.length() > 320 || k.indexOf(',') >= 0
                || k.chars().anyMatch(ch -> ch <= ' ' || ch == 127)) {
            throw new IllegalArgumentException("not an address or @domain: " + key);
        }
        return k;
    }

    @Override
    public void close() {
        log.close();
    }
}
