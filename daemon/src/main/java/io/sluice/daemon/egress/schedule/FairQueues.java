package io.sluice.daemon.egress.schedule;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The scheduled queues, and the order in which they hand deliveries to ready queues: the
 * transactional class first, then weighted round-robin across tenants (a tenant of weight w gets
 * up to w moves per turn), and round-robin across each tenant's queues. Only queues holding
 * deliveries are visited, so a million waiting deliveries of one tenant cost another tenant one
 * turn's wait, not a million. An emptied queue is dropped (idle queues cost nothing).
 * Not thread-safe: the scheduler thread owns it.
 */
public final class FairQueues<T> {
    /** What the mover did with the head of a queue. */
    public enum Move { MOVED, BLOCKED }

    /** Decides whether the head of a queue can go now, and moves it. */
    public interface Mover<T> {
        Move tryMove(ScheduledQueue<T> queue);
    }

    private static final class Tenant<T> {
        final String name;
        final ArrayDeque<ScheduledQueue<T>> active = new ArrayDeque<>();

        Tenant(String name) {
            this.name = name;
        }
    }

    private final Map<QueueKey, ScheduledQueue<T>> queues = new HashMap<>();
    /* class (0 = transactional, 1 = bulk) -> tenants with active queues, in ring order */
    @SuppressWarnings("unchecked")
    private final LinkedHashMap<String, Tenant<T>>[] rings = new LinkedHashMap[] {new LinkedHashMap<>(), new LinkedHashMap<>()};
    private long waiting;

    public void add(QueueKey key, T item) {
        ScheduledQueue<T> q = queues.computeIfAbsent(key, ScheduledQueue::new);
        q.items.addLast(item);
        waiting++;
        if (!q.active) {
            q.active = true;
            rings[key.transactional() ? 0 : 1].computeIfAbsent(key.tenant(), Tenant::new).active.addLast(q);
        }
    }

    public long waiting() {
        return waiting;
    }

    public int queueCount() {
        return queues.size();
    }

    public Iterable<ScheduledQueue<T>> queues() {
        return queues.values();
    }

    /**
     * Moves deliveries until nothing more can move or {@code budget} moves were made.
     *
     * @param weight a tenant's weight (at least 1)
     * @return moves made
     */
    public int promote(Mover<T> mover, ToIntFunction<String> weight, int budget) {
        int moved = 0;
        for (LinkedHashMap<String, Tenant<T>> ring : rings) {
            boolean progress = true;
            while (progress && moved < budget && !ring.isEmpty()) {
                progress = false;
                for (Tenant<T> tenant : new ArrayList<>(ring.values())) {
                    int share = Math.max(1, weight.applyAsInt(tenant.name));
                    int got = turn(tenant, mover, Math.min(share, budget - moved));
                    moved += got;
                    progress |= got > 0;
                    if (tenant.active.isEmpty()) {
                        ring.remove(tenant.name);
                    }
                    if (moved >= budget) {
                        break;
                    }
                }
            }
        }
        return moved;
    }

    /* Up to `share` moves for one tenant, visiting each of its queues at most once per blocked round. */
    private int turn(Tenant<T> tenant, Mover<T> mover, int share) {
        int moved = 0;
        int blocked = 0;
        while (moved < share && blocked < tenant.active.size()) {
            ScheduledQueue<T> q = tenant.active.pollFirst();
            if (q.items.isEmpty()) {
                retire(q);
                continue;
            }
            Move m = mover.tryMove(q);
            if (m == Move.MOVED) {
                moved++;
                waiting--;
                blocked = 0;
            } else {
                blocked++;
            }
            if (q.items.isEmpty()) {
                retire(q);
            } else {
                tenant.active.addLast(q);
            }
        }
        return moved;
    }

    /** Takes every delivery out of a queue (to bounce or defer them all), retiring it. */
    public List<T> drain(ScheduledQueue<T> q) {
        List<T> all = new ArrayList<>(q.items);
        waiting -= all.size();
        q.items.clear();
        return all;
    }

    private void retire(ScheduledQueue<T> q) {
        q.active = false;
        queues.remove(q.key);
    }
}
