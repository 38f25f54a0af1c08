package io.sluice.daemon.egress;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The scheduler thread's inbox: deliveries handed over (now or at a time) and tasks that must run
 * on the thread that owns the queues (route answers, operator queries, reload). Any thread may
 * post; only the scheduler takes. Closing it stops the engine taking work: what is still live in
 * the spool is picked up by recovery at the next start. Thread-safe.
 *
 * <p>Posting wakes the scheduler only while it {@linkplain #sleep sleeps}: between a tick and the
 * next one it {@linkplain #pause pauses} unwakeably for a moment when the last tick had work. At
 * full load the scheduler then takes a few messages per tick instead of being woken by every
 * delivery that arrives or leaves, each wake a system call on both sides and a context switch on
 * two busy cores. A wake (or post) that lands while it runs makes the next sleep return at once, so
 * nothing waits longer than one pause.
 */
final class Mailbox {
    /** A delivery due at {@code dueMillis} ({@link Long#MIN_VALUE}: now). */
    record Timed(Delivery delivery, long dueMillis) {
    }

    private final ConcurrentLinkedQueue<Object> items = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean asleep = new AtomicBoolean();
    private volatile Thread owner;
    private volatile boolean closed;
    /* Set by every wake, cleared when the scheduler starts a tick: a wake it may not have seen. */
    private volatile boolean pending;

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

    /** Asks the scheduler for a tick soon: at once when it sleeps, else after its current one. */
    void wake() {
        pending = true;
        // the scheduler writes asleep before it reads pending and the items; a waker writes those
        // before it reads asleep: one of the two sees the other's write, so no wake is lost
        if (asleep.get() && asleep.compareAndSet(true, false)) {
            Thread t = owner;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /** Scheduler thread, before a tick: wakes from here on ask for another tick after it. */
    void beginTick() {
        pending = false;
    }

    /**
     * Scheduler thread, after a tick that found nothing to take: parks until a wake or post, or
     * until {@code nanos} pass; returns at once when one came since {@link #beginTick()}.
     */
    void sleep(long nanos) {
        asleep.set(true);
        if (!pending && items.isEmpty() && !closed) {
            LockSupport.parkNanos(this, nanos);
        }
        asleep.set(false);
    }

    /** Scheduler thread, after a tick that took work: a short park that wakes do not cut short. */
    void pause(long nanos) {
        LockSupport.parkNanos(this, nanos);
    }

    boolean closed() {
        return closed;
    }

    void close() {
        closed = true;
        Thread t = owner;
        if (t != null) {
            LockSupport.unpark(t); // out of a sleep or a pause alike
        }
    }
}
