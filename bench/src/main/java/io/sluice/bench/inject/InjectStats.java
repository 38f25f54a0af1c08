package io.sluice.bench.inject;

import io.sluice.bench.measure.PerSecond;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What an injector counts: messages attempted and their outcome (2xx accepted, 4xx, 5xx, or no
 * reply at all), latency from the first byte of MAIL (or the HTTP request) to the final reply,
 * accepted per second, and, when the count is known, each message's send and accept time so a
 * run can join them with the sink's receive times.
 */
public final class InjectStats {
    public final AtomicLong attempted = new AtomicLong();
    public final AtomicLong accepted = new AtomicLong();
    public final AtomicLong tempfailed = new AtomicLong();
    public final AtomicLong permfailed = new AtomicLong();
    public final AtomicLong errors = new AtomicLong();
    public final AtomicLong bytes = new AtomicLong();
    private final Recorder toReply = new Recorder(3_600_000_000L, 3);
    private final Histogram total = new Histogram(3_600_000_000L, 3);
    private final PerSecond acceptedPerSecond;
    private final AtomicLongArray sentAt;
    private final AtomicLongArray acceptedAt;
    private volatile String lastError;

    public InjectStats(long startMicros, long knownCount) {
        this.acceptedPerSecond = new PerSecond(startMicros);
        boolean track = knownCount > 0 && knownCount <= 20_000_000;
        this.sentAt = track ? new AtomicLongArray((int) knownCount) : null;
        this.acceptedAt = track ? new AtomicLongArray((int) knownCount) : null;
    }

    public void sent(long sequence, long sentMicros) {
        attempted.incrementAndGet();
        if (sentAt != null && sequence < sentAt.length()) {
            sentAt.set((int) sequence, sentMicros);
        }
    }

    /** A final reply (or HTTP status mapped to a reply class) arrived. */
    public void replied(long sequence, int code, long sentMicros, long nowMicros, int size) {
        if (code >= 200 && code < 300) {
            accepted.incrementAndGet();
            bytes.addAndGet(size);
            acceptedPerSecond.add(nowMicros);
            toReply.recordValue(Math.min(3_599_999_999L, Math.max(0, nowMicros - sentMicros)));
            if (acceptedAt != null && sequence < acceptedAt.length()) {
                acceptedAt.set((int) sequence, nowMicros);
            }
        } else if (code >= 400 && code < 500) {
            tempfailed.incrementAndGet();
        } else {
            permfailed.incrementAndGet();
        }
    }

    public void failed(String why) {
        errors.incrementAndGet();
        lastError = why;
    }

    public String lastError() {
        return lastError;
    }

    public long finished() {
        return accepted.get() + tempfailed.get() + permfailed.get() + errors.get();
    }

    /** Latency send→final reply of accepted messages, microseconds, cumulated over all calls. */
    public synchronized Histogram toReply() {
        total.add(toReply.getIntervalHistogram());
        return total.copy();
    }

    public PerSecond acceptedPerSecond() {
        return acceptedPerSecond;
    }

    /** Send time of a message in microseconds, 0 when unknown. */
    public long sentAt(long sequence) {
        return sentAt == null || sequence >= sentAt.length() ? 0 : sentAt.get((int) sequence);
    }

    /** Accept (250) time of a message in microseconds, 0 when not accepted or unknown. */
    public long acceptedAt(long sequence) {
        return acceptedAt == null || sequence >= acceptedAt.length() ? 0 : acceptedAt.get((int) sequence);
    }
}
