package io.sluice.daemon.egress;

import io.sluice.daemon.egress.schedule.FairQueues;
import io.sluice.daemon.egress.schedule.QueueKey;
import io.sluice.daemon.egress.schedule.ScheduledQueue;
import io.sluice.daemon.egress.schedule.TimerWheel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the scheduler holds, as it last published it: deliveries waiting in scheduled queues and on
 * timers, and the largest scheduled queues. Operator views and metrics gauges read it without
 * asking the scheduler thread, so an HTTP request never waits for a tick; it is at most
 * {@link Publisher#EVERY_MILLIS} (plus a tick) old.
 *
 * @param scheduled the largest scheduled queues, largest first, at most {@link #MAX_QUEUES}
 */
record EgressSnapshot(long waiting, int scheduledQueues, long timers, List<EgressView.ScheduledInfo> scheduled) {
    static final int MAX_QUEUES = 10_000;
    static final EgressSnapshot EMPTY = new EgressSnapshot(0, 0, 0, List.of());

    /** Publishes snapshots from the scheduler thread; any thread reads the latest. */
    static final class Publisher {
        static final long EVERY_MILLIS = 100;

        private volatile EgressSnapshot latest = EMPTY;
        private long publishedAt = Long.MIN_VALUE;

        EgressSnapshot latest() {
            return latest;
        }

        /** On the scheduler thread: publishes when the last snapshot is {@link #EVERY_MILLIS} old. */
        void maybePublish(long nowMillis, FairQueues<Delivery> queues, TimerWheel<Delivery> wheel) {
            if (publishedAt != Long.MIN_VALUE && nowMillis - publishedAt < EVERY_MILLIS) {
                return;
            }
            publishedAt = nowMillis;
            List<EgressView.ScheduledInfo> scheduled = new ArrayList<>(queues.queueCount());
            for (ScheduledQueue<Delivery> q : queues.queues()) {
                QueueKey k = q.key();
                scheduled.add(new EgressView.ScheduledInfo(k.tenant(), k.campaign(), k.domain(), k.transactional(),
                        q.size()));
            }
            scheduled.sort(Comparator.comparingInt(EgressView.ScheduledInfo::waiting).reversed());
            latest = new EgressSnapshot(queues.waiting(), queues.queueCount(), wheel.size(),
                    List.copyOf(scheduled.subList(0, Math.min(MAX_QUEUES, scheduled.size()))));
        }
    }
}
