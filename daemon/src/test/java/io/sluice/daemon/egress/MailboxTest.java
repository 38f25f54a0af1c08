package io.sluice.daemon.egress;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scheduler's sleep ends with the first wake or post, wherever it lands: before the sleep (it
 * does not park), or during it (it is unparked). Every sleep here is an hour long, so a lost wake
 * hangs the test until the preemptive timeout fails it.
 */
class MailboxTest {
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void aWakeDuringTheTickEndsTheNextSleepAtOnce() {
        Mailbox m = new Mailbox();
        m.ownedBy(Thread.currentThread());
        m.beginTick();
        m.wake(); // e.g. room on a ready queue, while the scheduler is still in its tick
        assertTimeoutPreemptively(LIMIT, () -> m.sleep(HOUR));
    }

    @Test
    void aPostDuringTheTickEndsTheNextSleepAtOnce() {
        Mailbox m = new Mailbox();
        m.ownedBy(Thread.currentThread());
        m.beginTick();
        m.post(() -> { });
        assertTimeoutPreemptively(LIMIT, () -> m.sleep(HOUR));
        assertTrue(m.poll() instanceof Runnable);
    }

    @Test
    void aWakeBeforeTheTickBeganIsNotCarriedIntoTheNextSleep() throws Exception {
        Mailbox m = new Mailbox();
        Thread sleeper = new Thread(() -> {
            m.beginTick();
            m.sleep(HOUR);
        });
        m.ownedBy(sleeper);
        m.wake(); // seen by the tick that is about to begin: it asks for nothing more
        sleeper.start();
        awaitParked(sleeper);
        assertTrue(sleeper.isAlive(), "the sleep ended without a wake");
        m.wake();
        sleeper.join(LIMIT.toMillis());
        assertFalse(sleeper.isAlive(), "a wake during the sleep did not end it");
    }

    @Test
    void postsFromManyThreadsWakeASchedulerThatSleepsBetweenThem() throws Exception {
        Mailbox m = new Mailbox();
        int posts = 2_000;
        AtomicInteger taken = new AtomicInteger();
        CountDownLatch allTaken = new CountDownLatch(1);
        Thread scheduler = new Thread(() -> {
            while (!m.closed()) {
                m.beginTick();
                boolean took = false;
                Object item;
                while ((item = m.poll()) != null) {
                    ((Runnable) item).run();
                    took = true;
                }
                if (taken.get() == posts) {
                    allTaken.countDown();
                }
                if (took && taken.get() % 2 == 0) {
                    m.pause(TimeUnit.MICROSECONDS.toNanos(50));
                } else {
                    m.sleep(HOUR);
                }
            }
        });
        m.ownedBy(scheduler);
        scheduler.start();
        Thread[] posters = new Thread[4];
        for (int i = 0; i < posters.length; i++) {
            posters[i] = new Thread(() -> {
                for (int j = 0; j < posts / posters.length; j++) {
                    m.post(taken::incrementAndGet);
                    if (j % 50 == 0) {
                        Thread.yield();
                    }
                }
            });
            posters[i].start();
        }
        for (Thread p : posters) {
            p.join();
        }
        assertTrue(allTaken.await(LIMIT.toSeconds(), TimeUnit.SECONDS),
                "the scheduler slept with posts waiting: " + taken.get() + " of " + posts + " taken");
        assertEquals(posts, taken.get());
        m.close();
        scheduler.join(LIMIT.toMillis());
        assertFalse(scheduler.isAlive(), "close did not end the sleep");
    }

    @Test
    void closeEndsAPause() throws Exception {
        Mailbox m = new Mailbox();
        Thread pausing = new Thread(() -> m.pause(HOUR));
        m.ownedBy(pausing);
        pausing.start();
        awaitParked(pausing);
        m.close();
        pausing.join(LIMIT.toMillis());
        assertFalse(pausing.isAlive(), "close did not end the pause");
    }

    private static void awaitParked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (t.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(Thread.State.TIMED_WAITING, t.getState());
    }
}
