package io.sluice.daemon.egress.schedule;

import java.util.ArrayDeque;

/** The deliveries of one (tenant, campaign, domain) that are due and wait for room on a path. */
public final class ScheduledQueue<T> {
    final QueueKey key;
    final ArrayDeque<T> items = new ArrayDeque<>(2);
    boolean active;

    ScheduledQueue(QueueKey key) {
        this.key = key;
    }

    public QueueKey key() {
        return key;
    }

    public int size() {
        return items.size();
    }

    public T peek() {
        return items.peekFirst();
    }

    public T poll() {
        return items.pollFirst();
    }

    /** Puts a delivery back at the head (it could not go after all). */
    public void pushBack(T item) {
        items.addFirst(item);
    }
}
