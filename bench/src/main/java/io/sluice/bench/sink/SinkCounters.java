package io.sluice.bench.sink;

import io.sluice.bench.measure.PerSecond;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the sink saw: messages, recipients by outcome per domain, messages per source IP and per
 * second, connections, duplicates (same bench id twice), and the latency from each message's
 * embedded send time to its arrival (microseconds).
 */
public final class SinkCounters {
    /** Recipient outcomes of one domain. */
    public static final class DomainCounts {
        public final LongAdder accepted = new LongAdder();
        public final LongAdder tempfailed = new LongAdder();
        public final LongAdder permfailed = new LongAdder();
        public final LongAdder rateLimited = new LongAdder();

        @Override
        public String toString() {
            return "accepted=" + accepted + " tempfailed=" + tempfailed + " permfailed=" + permfailed
                    + " rate_limited=" + rateLimited;
        }
    }

    public final LongAdder messages = new LongAdder();
    public final LongAdder bytes = new LongAdder();
    public final LongAdder duplicates = new LongAdder();
    public final LongAdder connections = new LongAdder();
    public final LongAdder connectionsRefused = new LongAdder();
    public final AtomicLong openConnections = new AtomicLong();
    private final Map<String, DomainCounts> domains = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> sources = new ConcurrentHashMap<>();
    private final Map<String, Boolean> seenIds = new ConcurrentHashMap<>();
    private final Recorder sentToReceived = new Recorder(3_600_000_000L, 3);
    private final Histogram sentToReceivedTotal = new Histogram(3_600_000_000L, 3);
    private final PerSecond perSecond;

    public SinkCounters(long startMicros) {
        this.perSecond = new PerSecond(startMicros);
    }

    public DomainCounts domain(String domain) {
        return domains.computeIfAbsent(domain, d -> new DomainCounts());
    }

    void received(String sourceIp, String benchId, long sentMicros, long nowMicros, int size) {
        messages.increment();
        bytes.add(size);
        sources.computeIfAbsent(sourceIp, s -> new LongAdder()).increment();
        perSecond.add(nowMicros);
        if (benchId != null && seenIds.putIfAbsent(benchId, Boolean.TRUE) != null) {
            duplicates.increment();
        }
        if (sentMicros > 0) {
            sentToReceived.recordValue(Math.min(3_599_999_999L, Math.max(0, nowMicros - sentMicros)));
        }
    }

    public Map<String, DomainCounts> domains() {
        return new TreeMap<>(domains);
    }

    public Map<String, Long> sources() {
        Map<String, Long> out = new TreeMap<>();
        sources.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public PerSecond perSecond() {
        return perSecond;
    }

    /** Send (embedded header) → arrival at the sink, cumulated. */
    public synchronized Histogram sentToReceived() {
        sentToReceivedTotal.add(sentToReceived.getIntervalHistogram());
        return sentToReceivedTotal.copy();
    }

    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append("sink messages=").append(messages.sum()).append(" bytes=").append(bytes.sum())
                .append(" duplicates=").append(duplicates.sum()).append(" connections=").append(connections.sum())
                .append(" connections_refused=").append(connectionsRefused.sum()).append('\n');
        domains().forEach((d, c) -> b.append("sink domain ").append(d).append(' ').append(c).append('\n'));
        sources().forEach((s, n) -> b.append("sink source ").append(s).append(" messages=").append(n).append('\n'));
        long[] ps = perSecond.snapshot();
        b.append("sink per_second");
        for (long v : ps) {
            b.append(' ').append(v);
        }
        return b.append('\n').toString();
    }
}
