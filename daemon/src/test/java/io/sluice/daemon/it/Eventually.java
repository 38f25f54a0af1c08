package io.sluice.daemon.it;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Waits for a state, not for a time: asks {@code probe} until its answer satisfies {@code done},
 * and fails with the last answer when {@code within} runs out. A probe that throws is asked again
 * (the daemon may still be starting); its last exception is the failure's cause.
 */
final class Eventually {
    private static final long POLL_MILLIS = 50;

    private Eventually() {}

    static <T> T eventually(String what, Duration within, Callable<T> probe, Predicate<? super T> done) {
        long deadline = System.nanoTime() + within.toNanos();
        T last = null;
        Exception failure = null;
        while (true) {
            try {
                last = probe.call();
                failure = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (Exception e) {
                failure = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError error = new AssertionError(what + ": not within " + within + "; last seen: " + last);
                if (failure != null) {
                    error.initCause(failure);
                }
                throw error;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(what + ": interrupted", e);
            }
        }
    }

    /** Waits until {@code condition} holds. */
    static void until(String what, Duration within, Callable<Boolean> condition) {
        eventually(what, within, condition, Boolean.TRUE::equals);
    }
}
