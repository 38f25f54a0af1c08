package io.sluice.daemon.egress;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The scheduler thread's inbox: deliveries handed over (now or at a time) and tasks that must run
 * on the thread that owns the queues (route answers, operator queries, reload). Any thread may
 * post; only the scheduler takes. Closing it stops the engine taking work: what is still live in
 * the spool is picked up by recovery at the next start. Thread-safe.
 */
final class Mailbox {
    /** A delivery due at {@code dueMillis} ({@link Long#MIN_VALUE}: now). */
    record Timed(Delivery delivery, long dueMillis) {
    }

    private final ConcurrentLinkedQueue<Object> items = new ConcurrentLinkedQueue<>();
    private volatile Thread owner;
    private volatile boolean closed;

    /** The thread to wake when something arrives (the scheduler's, once started). */
    void ownedBy(Thread thread) {
        this.owner = thread;
    }

    /** Hands over a delivery due at {@code due}, or now when null. */
    void submitAt(Delivery delivery, Instant due) {
        if (closed) {
            return; // still live in the spool: recovery picks it up at the next start
        }
        items.add(new Timed(delivery, due == null ? Long.MIN_VALUE : due.toEpochMilli()));
        wake();
    }

    /** Runs {@code task} on the scheduler thread at its next tick. */
    void post(Runnable task) {
        items.add(task);
        wake();
    }

    /** Runs {@code query} on the scheduler thread and waits (at most 10 s) for its answer. */
    <T> T ask(Supplier<T> query) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        post(() -> {
            try {
                answer.complete(query.get());
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        try {
            return answer.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the scheduler did not answer: " + e, e);
        }
    }

    /** The next item ({@link Timed} or {@link Runnable}), or null; for the scheduler thread. */
    Object poll() {
        return items.poll();
    }

    void wake() {
        Thread t = owner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    boolean closed() {
        return closed;
    }

    void close() {
        closed = true;
        wake();
    }
}
