package io.sluice.daemon.egress.schedule.bench;

import io.sluice.daemon.egress.Delivery;
import io.sluice.daemon.egress.schedule.FairQueues;
import io.sluice.daemon.egress.schedule.QueueKey;
import io.sluice.daemon.egress.schedule.TimerWheel;
import io.sluice.daemon.egress.shaping.Gcra;
import io.sluice.daemon.egress.shaping.Rate;
import io.sluice.queue.DeliveryId;
import io.sluice.queue.MessageId;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plain measurement harness for the scheduler's core (no JMH: the figures are heap bytes and
 * whole-run rates). Builds 1,000,000 queued deliveries over 100,000 domains (10 recipients per
 * message, as ingress makes them: sender and attributes shared per message), and reports:
 * heap bytes per delivery waiting in a scheduled queue, per delivery waiting on a retry timer,
 * per scheduled queue, and the rates of scheduling (timer wheel in, out, into scheduled queues,
 * then the fair round-robin moving each to a ready queue). Run in -Xmx1g to show it fits:
 * <pre>
 * mvn -q -pl daemon -am test-compile -DskipTests
 * mvn -q -pl daemon dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx1g -cp daemon/target/test-classes:daemon/target/classes:$(cat daemon/target/cp.txt) \
 *      io.sluice.daemon.egress.schedule.bench.SchedulerBench
 * </pre>
 */
public final class SchedulerBench {
    private static final int DELIVERIES = 1_000_000;
    private static final int DOMAINS = 100_000;
    private static final int PER_MESSAGE = 10;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        for (int round = 1; round <= rounds; round++) {
            System.out.println("-- round " + round);
            run();
        }
    }

    private static List<Delivery> deliveries() {
        List<Delivery> out = new ArrayList<>(DELIVERIES);
        Instant now = Instant.parse("2026-11-28T09:00:00Z");
        String[] tenants = {"acme", "globex", "initech", "umbrella"};
        Map<String, String> attributes = null;
        MessageId message = null;
        for (int i = 0; i < DELIVERIES; i++) {
            if (i % PER_MESSAGE == 0) {
                message = MessageId.next();
                attributes = Map.of("tenant", tenants[(i / PER_MESSAGE) % tenants.length], "campaign", "c" + ((i / PER_MESSAGE) % 7),
                        "dkim.bh.relaxed", "frlcs2t7Eo3vzzMA5zJ0Y7aXUzUv7hY5cVlPBPaMfk8=");
            }
            String recipient = "user" + i + "@domain" + (i % DOMAINS) + ".example";
            out.add(new Delivery(new DeliveryId(message, i % PER_MESSAGE), "news@sender.example", recipient,
                    Delivery.domainOf(recipient), now, 0, attributes));
        }
        return out;
    }

    private static void run() {
        long base = heap();
        List<Delivery> all = deliveries();
        long built = heap();
        double perDeliveryAlone = (built - base) / (double) DELIVERIES;

        // 1. waiting on retry timers
        TimerWheel<Delivery> wheel = new TimerWheel<>(20, 1024, 0);
        long t0 = System.nanoTime();
        for (int i = 0; i < DELIVERIES; i++) {
            wheel.schedule(all.get(i), 1_000 + (i % 3_600_000L)); // spread over the next hour
        }
        long t1 = System.nanoTime();
        long withTimers = heap();
        List<Delivery> fired = new ArrayList<>(DELIVERIES);
        long t2 = System.nanoTime();
        for (long now = 0; now <= 3_601_000L; now += 20) {
            wheel.advance(now, fired::add);
        }
        long t3 = System.nanoTime();
        double perTimer = (withTimers - built) / (double) DELIVERIES;

        // 2. waiting in scheduled queues
        fired = null;
        wheel = null;
        long beforeQueues = heap();
        FairQueues<Delivery> queues = new FairQueues<>();
        long t4 = System.nanoTime();
        for (Delivery d : all) {
            queues.add(QueueKey.of(d.attributes(), d.domain()), d);
        }
        long t5 = System.nanoTime();
        long withQueues = heap();
        double perQueued = (withQueues - beforeQueues) / (double) DELIVERIES;
        int queueCount = queues.queueCount();

        // 3. the fair round-robin moves every one to a ready queue (a rate check per move)
        Gcra rate = new Gcra(Rate.UNLIMITED, 1);
        ArrayDeque<Delivery> ready = new ArrayDeque<>(DELIVERIES);
        long t6 = System.nanoTime();
        int moved = 0;
        while (queues.waiting() > 0) {
            moved += queues.promote(q -> {
                if (!rate.tryAcquire(System.nanoTime())) {
                    return FairQueues.Move.BLOCKED;
                }
                ready.add(q.poll());
                return FairQueues.Move.MOVED;
            }, t -> 1, 20_000);
        }
        long t7 = System.nanoTime();

        // 4. a scheduled queue's own cost: 100,000 queues of one delivery each, less the deliveries
        ready.clear();
        long beforeSmall = heap();
        FairQueues<Delivery> small = new FairQueues<>();
        for (int i = 0; i < DOMAINS; i++) {
            Delivery d = all.get(i);
            small.add(QueueKey.of(d.attributes(), d.domain()), d);
        }
        long withSmall = heap();
        double perQueue = (withSmall - beforeSmall) / (double) small.queueCount();

        System.out.printf("deliveries %,d over %,d domains; heap used with all of them waiting in queues: %,d MB%n",
                DELIVERIES, DOMAINS, (withQueues - base) / 1_000_000);
        System.out.printf("bytes per delivery record (Delivery, id, recipient, domain): %.0f%n", perDeliveryAlone);
        System.out.printf("bytes per delivery added by a scheduled queue: %.0f (%,d queues)%n", perQueued, queueCount);
        System.out.printf("bytes per delivery added by a retry timer: %.0f%n", perTimer);
        System.out.printf("bytes per scheduled queue holding one delivery (key, deque, map entry): %.0f; an empty queue is dropped: 0%n",
                perQueue);
        System.out.printf("timer wheel: schedule %,.0f/s, advance+fire %,.0f/s%n",
                DELIVERIES / ((t1 - t0) / 1e9), DELIVERIES / ((t3 - t2) / 1e9));
        System.out.printf("scheduled queues: add %,.0f/s; fair promote to ready %,.0f/s (%,d moved)%n",
                DELIVERIES / ((t5 - t4) / 1e9), moved / ((t7 - t6) / 1e9), moved);
        System.out.printf("end to end (timer in, out, queue, promote): %,.0f deliveries scheduled/s%n",
                DELIVERIES / (((t1 - t0) + (t3 - t2) + (t5 - t4) + (t7 - t6)) / 1e9));
        if (small.queueCount() < 0 || all.isEmpty()) {
            System.out.println(); // keep both alive until here
        }
    }

    private static long heap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
