package io.sluice.daemon.egress.schedule;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FairQueuesTest {

    private static QueueKey key(String tenant, String domain, boolean tx) {
        return new QueueKey(tenant, "default", domain, tx);
    }

    @Test
    void aTenantsMillionBacklogDoesNotHoldAnotherTenantBack() {
        FairQueues<String> queues = new FairQueues<>();
        for (int i = 0; i < 1_000_000; i++) {
            queues.add(key("big", "d" + (i % 1000) + ".test", false), "big" + i);
        }
        for (int i = 0; i < 10; i++) {
            queues.add(key("small", "s.test", false), "small" + i);
        }
        List<String> moved = new ArrayList<>();
        // room for 40 moves: the small tenant gets half of them
        queues.promote(q -> {
            moved.add(q.poll());
            return FairQueues.Move.MOVED;
        }, t -> 1, 40);
        assertEquals(40, moved.size());
        assertEquals(10, moved.stream().filter(s -> s.startsWith("small")).count(), moved.toString());
    }

    @Test
    void weightsShareMovesAndTransactionalMailGoesFirst() {
        FairQueues<String> queues = new FairQueues<>();
        for (int i = 0; i < 100; i++) {
            queues.add(key("a", "x.test", false), "a");
            queues.add(key("b", "x.test", false), "b");
        }
        queues.add(key("c", "x.test", true), "tx");
        List<String> moved = new ArrayList<>();
        queues.promote(q -> {
            moved.add(q.poll());
            return FairQueues.Move.MOVED;
        }, t -> Map.of("a", 3, "b", 1).getOrDefault(t, 1), 41);
        assertEquals("tx", moved.get(0));
        long a = moved.stream().filter("a"::equals).count();
        long b = moved.stream().filter("b"::equals).count();
        assertEquals(30, a);
        assertEquals(10, b);
    }

    @Test
    void blockedQueuesDoNotStopOthersAndEmptyQueuesAreDropped() {
        FairQueues<String> queues = new FairQueues<>();
        queues.add(key("t", "blocked.test", false), "x");
        queues.add(key("t", "open.test", false), "y");
        List<String> moved = new ArrayList<>();
        int n = queues.promote(q -> {
            if (q.key().domain().equals("blocked.test")) {
                return FairQueues.Move.BLOCKED;
            }
            moved.add(q.poll());
            return FairQueues.Move.MOVED;
        }, t -> 1, 100);
        assertEquals(1, n);
        assertEquals(List.of("y"), moved);
        assertEquals(1, queues.queueCount());
        assertEquals(1, queues.waiting());
        assertTrue(queues.queues().iterator().next().key().domain().equals("blocked.test"));
    }
}
