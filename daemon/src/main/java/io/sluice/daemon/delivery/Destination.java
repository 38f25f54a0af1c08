package io.sluice.daemon.delivery;

import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything due for one destination (a recipient domain, or the smarthost): the deliveries
 * ready to go, how many connections carry them, and whether the destination is resting after
 * it failed to answer. Connections to it are shared by all its deliveries.
 */
final class Destination {
    final String key;
    final Queue<Delivery> ready = new ConcurrentLinkedQueue<>();
    final AtomicInteger connections = new AtomicInteger();
    /** Set while a wake-up is scheduled for the end of a down period, so only one is. */
    final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private volatile Instant downUntil = Instant.MIN;

    Destination(String key) {
        this.key = key;
    }

    boolean isDown(Instant now) {
        return now.isBefore(downUntil);
    }

    Instant downUntil() {
        return downUntil;
    }

    void markDown(Instant until) {
        downUntil = until;
    }

    /** Takes one connection slot if fewer than {@code max} are in use. */
    boolean tryOpenSlot(int max) {
        while (true) {
            int n = connections.get();
            if (n >= max) {
                return false;
            }
            if (connections.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }
}
