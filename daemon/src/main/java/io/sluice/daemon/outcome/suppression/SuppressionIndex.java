package io.sluice.daemon.outcome.suppression;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The in-memory half of the store: an open-addressing hash table from a 64-bit hash of
 * (tenant, key) to the entry's state, kept in parallel primitive arrays (24 bytes a slot, no
 * object per entry), so 10 million entries cost a few hundred MB and no GC pressure.
 *
 * <p>Only the hash is kept, not the address: the address is in the change log the slot points
 * at, and a slot whose hash matches counts only once the log confirms it holds the same (tenant,
 * key) ({@link Owners}). The hash is not keyed, so someone could choose two addresses that share
 * one; confirming keeps such a collision from suppressing, or lifting the suppression of, the
 * other address (issue 18, item 8): colliding keys get slots of their own along the probe run.
 * A miss (the common lookup) reads no log and allocates nothing; a hit reads one record.
 *
 * <p>One writer at a time (the store's lock); readers take no lock. A slot's fields are written
 * before its key is published with release semantics, and a grown table is published through a
 * volatile field, so a reader sees either the old or the complete new state.
 */
final class SuppressionIndex {
    private static final VarHandle KEYS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final float LOAD = 0.7f;

    private static final class Table {
        /** Pairs: [2i] the hash (0 = empty), [2i+1] the state: reason code in bits 0-7, expiry seconds above. */
        final long[] slots;
        final long[] logIndex;
        final int mask;

        Table(int capacity) {
            slots = new long[capacity * 2];
            logIndex = new long[capacity];
            mask = capacity - 1;
        }
    }

    /** Says whether the change at a log index is of a given (tenant, key): the change log. */
    interface Owners {
        /** True when the change at {@code logIndex} is of {@code tenant} and {@code key} from {@code from} on. */
        boolean owns(long logIndex, CharSequence tenant, CharSequence key, int from);
    }

    private final Owners owners;
    private volatile Table table;
    private int used;
    private int active;

    SuppressionIndex(int expected, Owners owners) {
        int cap = Integer.highestOneBit(Math.max(16, (int) Math.min(1 << 30, expected / LOAD)) - 1) << 1;
        this.table = new Table(cap);
        this.owners = owners;
    }

    /**
     * The slot of (tenant, key), or -1. A slot with the same hash is taken only once the log
     * confirms it; otherwise the probe goes on. Hash and state share a cache line: one miss a probe.
     */
    private int find(Table t, long hash, CharSequence tenant, CharSequence key, int from) {
        int i = (int) hash & t.mask;
        while (true) {
            long k = (long) KEYS.getAcquire(t.slots, i << 1);
            if (k == 0) {
                return -1;
            }
            if (k == hash && owners.owns(t.logIndex[i], tenant, key, from)) {
                return i;
            }
            i = (i + 1) & t.mask;
        }
    }

    private static long state(byte reason, long expiresSec) {
        return (reason & 0xffL) | (Math.max(0, Math.min(0xffffffffL, expiresSec)) << 8);
    }

    /**
     * The log index of the entry of (tenant, key from {@code from}) when it is present, not
     * removed, and not expired at {@code nowSec}; else -1.
     */
    long activeIndex(long hash, long nowSec, CharSequence tenant, CharSequence key, int from) {
        Table t = table;
        int slot = find(t, hash, tenant, key, from);
        if (slot < 0) {
            return -1;
        }
        long st = (long) KEYS.getAcquire(t.slots, (slot << 1) + 1);
        if ((st & 0xff) == 0) {
            return -1;
        }
        long exp = st >>> 8;
        return exp == 0 || nowSec < exp ? t.logIndex[slot] : -1;
    }

    boolean isActive(long hash, long nowSec, CharSequence tenant, CharSequence key) {
        return activeIndex(hash, nowSec, tenant, key, 0) >= 0;
    }

    /** The log index of the latest change of (tenant, key) (active or not), or -1. */
    long latest(long hash, CharSequence tenant, CharSequence key) {
        Table t = table;
        int slot = find(t, hash, tenant, key, 0);
        return slot < 0 ? -1 : t.logIndex[slot];
    }

    /**
     * Records a change of (tenant, key), already in the log at {@code logIndex}:
     * {@code reasonCode} 0 means removed; {@code expiresSec} 0 means never.
     */
    synchronized void put(long hash, CharSequence tenant, CharSequence key, long logIndex, byte reasonCode,
                          long expiresSec) {
        Table t = table;
        int slot = find(t, hash, tenant, key, 0);
        long st = state(reasonCode, expiresSec);
        if (slot >= 0) {
            boolean wasActive = (t.slots[(slot << 1) + 1] & 0xff) != 0;
            t.logIndex[slot] = logIndex;
            KEYS.setRelease(t.slots, (slot << 1) + 1, st);
            active += (reasonCode != 0 ? 1 : 0) - (wasActive ? 1 : 0);
            return;
        }
        if (used + 1 > (t.mask + 1) * LOAD) {
            t = grow(t);
        }
        int i = (int) hash & t.mask;
        while (t.slots[i << 1] != 0) {
            i = (i + 1) & t.mask;
        }
        t.logIndex[i] = logIndex;
        t.slots[(i << 1) + 1] = st;
        KEYS.setRelease(t.slots, i << 1, hash);
        used++;
        if (reasonCode != 0) {
            active++;
        }
    }

    private Table grow(Table old) {
        Table t = new Table((old.mask + 1) << 1);
        for (int j = 0; j <= old.mask; j++) {
            long k = old.slots[j << 1];
            if (k == 0) {
                continue;
            }
            int i = (int) k & t.mask;
            while (t.slots[i << 1] != 0) {
                i = (i + 1) & t.mask;
            }
            t.slots[i << 1] = k;
            t.slots[(i << 1) + 1] = old.slots[(j << 1) + 1];
            t.logIndex[i] = old.logIndex[j];
        }
        table = t;
        return t;
    }

    /** Calls {@code f} with the log index of every entry not removed (expired ones included). */
    void forEachPresent(java.util.function.LongConsumer f) {
        Table t = table;
        for (int j = 0; j <= t.mask; j++) {
            if ((long) KEYS.getAcquire(t.slots, j << 1) != 0 && (t.slots[(j << 1) + 1] & 0xff) != 0) {
                f.accept(t.logIndex[j]);
            }
        }
    }

    /** Calls {@code f} with the log index of every entry's latest change, removed ones included. */
    void forEachLatest(java.util.function.LongConsumer f) {
        Table t = table;
        for (int j = 0; j <= t.mask; j++) {
            if ((long) KEYS.getAcquire(t.slots, j << 1) != 0) {
                f.accept(t.logIndex[j]);
            }
        }
    }

    synchronized int active() {
        return active;
    }

    int capacity() {
        return table.mask + 1;
    }

    /** Bytes held by the arrays (24 a slot). */
    long bytes() {
        return (table.mask + 1) * 24L;
    }

    // ---- hashing: no allocation, ASCII lower-cased on the fly; tenant and key hashed apart so one
    // address hash serves the tenant's and the global list ----

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    static long tenantHash(CharSequence tenant) {
        long h = FNV_OFFSET;
        for (int i = 0; i < tenant.length(); i++) {
            h = (h ^ tenant.charAt(i)) * FNV_PRIME;
        }
        return fmix(h ^ 0x5bd1e995L);
    }

    static long keyHash(CharSequence key, int from) {
        long h = FNV_OFFSET;
        for (int i = from; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            } else if (c > 127) {
                c = Character.toLowerCase(c);
            }
            h = (h ^ c) * FNV_PRIME;
        }
        return h;
    }

    static long combine(long tenantHash, long keyHash) {
        long h = fmix(keyHash + tenantHash * 0x9e3779b97f4a7c15L);
        return h == 0 ? 1 : h;
    }

    static long hash(CharSequence tenant, CharSequence key, int keyFrom) {
        return combine(tenantHash(tenant), keyHash(key, keyFrom));
    }

    /** murmur3 fmix64: FNV alone clusters in the low bits the table indexes with. */
    private static long fmix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
