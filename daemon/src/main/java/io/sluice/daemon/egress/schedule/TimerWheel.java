package io.sluice.daemon.egress.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Retry timers for a million deliveries without a thread or a task per timer: a hashed wheel of
 * {@code slots} ticks, plus an overflow of later rounds (one list per round of the wheel) that
 * drops into the wheel when its round comes. Scheduling is O(1) (O(log rounds) for far timers),
 * advancing costs the expired entries plus one slot per tick. Time is whatever the caller passes
 * (an injected clock's millis). Not thread-safe: one scheduler thread owns it.
 */
public final class TimerWheel<T> {
    private static final class Entry<T> {
        final T item;
        final long tick;

        Entry(T item, long tick) {
            this.item = item;
            this.tick = tick;
        }
    }

    private final long tickMillis;
    private final int mask;
    private final List<Entry<T>>[] slots;
    private final TreeMap<Long, List<Entry<T>>> later = new TreeMap<>();
    private final List<T> due = new ArrayList<>();
    private long cursor;
    private long size;

    @SuppressWarnings("unchecked")
    public TimerWheel(long tickMillis, int slotsPowerOfTwo, long nowMillis) {
        if (Integer.bitCount(slotsPowerOfTwo) != 1) {
            throw new IllegalArgumentException("slots must be a power of two");
        }
        this.tickMillis = tickMillis;
        this.mask = slotsPowerOfTwo - 1;
        this.slots = new List[slotsPowerOfTwo];
        this.cursor = nowMillis / tickMillis;
    }

    public long size() {
        return size;
    }

    /** Fires {@code item} at the first {@link #advance} at or after {@code dueMillis}. */
    public void schedule(T item, long dueMillis) {
        long tick = Math.floorDiv(dueMillis + tickMillis - 1, tickMillis);
        size++;
        if (tick <= cursor) {
            due.add(item);
        } else if (round(tick) == round(cursor)) {
            slot(tick).add(new Entry<>(item, tick));
        } else {
            later.computeIfAbsent(round(tick), r -> new ArrayList<>()).add(new Entry<>(item, tick));
        }
    }

    /** Hands every item due at {@code nowMillis} to {@code fire}, oldest ticks first. */
    public void advance(long nowMillis, Consumer<T> fire) {
        long target = nowMillis / tickMillis;
        if (!due.isEmpty()) {
            List<T> batch = new ArrayList<>(due);
            due.clear();
            size -= batch.size();
            batch.forEach(fire);
        }
        if (target - cursor > slots.length) {
            jump(target, fire);
            return;
        }
        while (cursor < target) {
            cursor++;
            if ((cursor & mask) == 0) {
                List<Entry<T>> round = later.remove(round(cursor));
                if (round != null) {
                    for (Entry<T> e : round) {
                        slot(e.tick).add(e);
                    }
                }
            }
            List<Entry<T>> slot = slots[(int) (cursor & mask)];
            if (slot != null && !slot.isEmpty()) {
                slots[(int) (cursor & mask)] = null;
                size -= slot.size();
                for (Entry<T> e : slot) {
                    fire.accept(e.item);
                }
            }
        }
    }

    /* The clock moved more than a whole turn (a test clock, a suspended VM): fire everything due. */
    private void jump(long target, Consumer<T> fire) {
        List<Entry<T>> fired = new ArrayList<>();
        List<Entry<T>> keep = new ArrayList<>();
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                for (Entry<T> e : slots[i]) {
                    (e.tick <= target ? fired : keep).add(e);
                }
                slots[i] = null;
            }
        }
        while (!later.isEmpty() && later.firstKey() <= round(target)) {
            for (Entry<T> e : later.pollFirstEntry().getValue()) {
                (e.tick <= target ? fired : keep).add(e);
            }
        }
        cursor = target;
        fired.sort((a, b) -> Long.compare(a.tick, b.tick));
        size -= fired.size() + keep.size();
        for (Entry<T> e : fired) {
            fire.accept(e.item);
        }
        for (Entry<T> e : keep) {
            schedule(e.item, e.tick * tickMillis);
        }
    }

    private List<Entry<T>> slot(long tick) {
        int i = (int) (tick & mask);
        List<Entry<T>> s = slots[i];
        if (s == null) {
            s = new ArrayList<>(4);
            slots[i] = s;
        }
        return s;
    }

    private long round(long tick) {
        return tick / slots.length;
    }
}
