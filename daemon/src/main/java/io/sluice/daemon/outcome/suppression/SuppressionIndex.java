package io.sluice.daemon.outcome.suppression;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The in-memory half of the store: an open-addressing hash table from a 64-bit hash of
 * (tenant, key) to the entry's state, kept in parallel primitive arrays (24 bytes a slot, no
 * object per entry), so 10 million entries cost a few hundred MB and no GC pressure.
 *
 * <p>Only the hash is kept, not the address: two different (tenant, address) pairs share a
 * hash with probability about n/2^64 per lookup (5e-13 at 10M entries), which we accept; the
 * address itself is in the change log the slot points at.
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

    private volatile Table table;
    private int used;
    private int active;

    SuppressionIndex(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, (int) Math.min(1 << 30, expected / LOAD)) - 1) << 1;
        table = new Table(cap);
    }

    /** The slot holding {@code hash}, or -1. Hash and state share a cache line: one miss a probe. */
    private static int find(Table t, long hash) {
        int i = (int) hash & t.mask;
        while (true) {
            long k = (long) KEYS.getAcquire(t.slots, i << 1);
            if (k == hash) {
                return i;
            }
            if (k == 0) {
                return -1;
            }
            i = (i + 1) & t.mask;
        }
    }

    private static long state(byte reason, long expiresSec) {
        return (reason & 0xffL) | (Math.max(0, Math.min(0xffffffffL, expiresSec)) << 8);
    }

    /** True when an entry with this hash is present, not removed, and not expired at {@code nowSec}. */
    boolean isActive(long hash, long nowSec) {
        Table t = table;
        int slot = find(t, hash);
        if (slot < 0) {
            return false;
        }
        long st = (long) KEYS.getAcquire(t.slots, (slot << 1) + 1);
        if ((st & 0xff) == 0) {
            return false;
        }
        long exp = st >>> 8;
        return exp == 0 || nowSec < exp;
    }

    /** The log index of the latest change for this hash (active or not), or -1. */
    long latest(long hash) {
        Table t = table;
        int slot = find(t, hash);
        return slot < 0 ? -1 : t.logIndex[slot];
    }

    /** Records a change: {@code reasonCode} 0 means removed; {@code expiresSec} 0 means never. */
    synchronized void put(long hash, long logIndex, byte reasonCode, long expiresSec) {
        Table t = table;
        int slot = find(t, hash);
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
