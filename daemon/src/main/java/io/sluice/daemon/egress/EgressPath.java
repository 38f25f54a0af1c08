package io.sluice.daemon.egress;

import io.sluice.daemon.egress.route.Site;

import io.sluice.daemon.egress.sources.Source;
import io.sluice.daemon.egress.shaping.ProviderThrottle;
import io.sluice.protocol.smtp.SmtpReply;

import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a delivery goes next: one source talking to one receiving site (the sorted set of MX
 * hosts, so every domain hosted there shares these connections). Holds the ready queue, what may
 * go now, and the path's connections. A path that could not be reached rests for a while.
 */
final class EgressPath {
    final String key;
    final Source source;
    final Site site;
    final ProviderThrottle throttle;
    final Queue<Delivery> ready = new ConcurrentLinkedQueue<>();
    final AtomicInteger readyCount = new AtomicInteger();
    final AtomicInteger connections = new AtomicInteger();
    /** Open connections without work, most recently used first (they hold their connection slots). */
    final java.util.Deque<IdleConnection> idle = new java.util.concurrent.ConcurrentLinkedDeque<>();
    volatile List<RouteDecision.Target> targets;
    private volatile Instant downUntil = Instant.MIN;
    private volatile SmtpReply downReply;

    EgressPath(Source source, Site site, ProviderThrottle throttle, List<RouteDecision.Target> targets) {
        this(keyOf(source, site, null), source, site, throttle, targets);
    }

    EgressPath(String key, Source source, Site site, ProviderThrottle throttle, List<RouteDecision.Target> targets) {
        this.key = key;
        this.source = source;
        this.site = site;
        this.throttle = throttle;
        this.targets = targets;
    }

    /**
     * {@code SOURCE>SITE}, or {@code SOURCE>SITE#DOMAIN} for the path of a domain with a published
     * TLS policy (MTA-STS, DANE), which shares its connections with no other domain.
     */
    static String keyOf(Source source, Site site, String policyDomain) {
        return source.name() + ">" + site.name() + (policyDomain == null ? "" : "#" + policyDomain);
    }

    String provider() {
        return throttle.rule().name();
    }

    boolean isDown(Instant now) {
        return now.isBefore(downUntil);
    }

    Instant downUntil() {
        return downUntil;
    }

    SmtpReply downReply() {
        return downReply;
    }

    void markDown(Instant until, SmtpReply reply) {
        downReply = reply;
        downUntil = until;
    }

    void add(Delivery d) {
        ready.add(d);
        readyCount.incrementAndGet();
    }

    Delivery poll() {
        Delivery d = ready.poll();
        if (d != null) {
            readyCount.decrementAndGet();
        }
        return d;
    }

    /**
     * Takes up to {@code max - 1} more ready deliveries of the same message and sender to distinct
     * recipients, so one transaction carries them all (one body, several RCPT).
     */
    java.util.List<Delivery> withSameMessage(Delivery first, int max) {
        java.util.List<Delivery> batch = new java.util.ArrayList<>();
        batch.add(first);
        java.util.Set<String> recipients = new java.util.HashSet<>();
        recipients.add(first.recipient());
        for (java.util.Iterator<Delivery> it = ready.iterator(); it.hasNext() && batch.size() < max; ) {
            Delivery d = it.next();
            // remove(Object) claims the node with a CAS; the iterator's own remove() does not, so a
            // session polling this path at the same moment could take the same delivery: sent twice
            if (d.id().message().equals(first.id().message()) && d.sender().equals(first.sender())
                    && !recipients.contains(d.recipient()) && ready.remove(d)) {
                recipients.add(d.recipient());
                readyCount.decrementAndGet();
                batch.add(d);
            }
        }
        return batch;
    }

    /** Takes one connection slot if fewer than {@code max} are in use. */
    boolean tryOpenSlot(AtomicInteger counter, int max) {
        while (true) {
            int n = counter.get();
            if (n >= max) {
                return false;
            }
            if (counter.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }
}
