package io.sluice.daemon.engagement;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The "several links at once" rule: link scanners (secure e-mail gateways, safe-links services)
 * follow every link of a message within a second or two; a person clicks one, reads, maybe clicks
 * another later. Clicks of two or more different links of one recipient's message within
 * {@code window} of each other are all a machine's. A click is held for {@code window} after it
 * came, since the clicks that would make it part of a burst may still be on their way; then it is
 * released with the verdict. Clicks of the same link (a double click, a reload) are not a burst.
 *
 * <p>Memory is bounded: at most {@code capacity} clicks are held; beyond that the oldest is
 * released at once with what is known of it so far. Thread-safe (one lock; every step is a few
 * list operations).
 *
 * @param <T> what the caller keeps with a click until it is released
 */
final class ClickBursts<T> {
    /** A click whose hold is over: {@code burst} when it was part of a burst. */
    record Released<T>(T click, boolean burst) {
    }

    private static final class Held<T> {
        final String key;
        final int link;
        final Instant at;
        final T click;
        boolean burst;

        Held(String key, int link, Instant at, T click) {
            this.key = key;
            this.link = link;
            this.at = at;
            this.click = click;
        }
    }

    private final Duration window;
    private final int capacity;
    private final Clock clock;
    private final Deque<Held<T>> order = new ArrayDeque<>();
    private final Map<String, List<Held<T>>> byKey = new HashMap<>();

    /**
     * @param window   how close two clicks of different links must be to make a burst; zero turns the rule off
     * @param capacity the most clicks held at once
     */
    ClickBursts(Duration window, int capacity, Clock clock) {
        if (window.isNegative() || capacity < 1) {
            throw new IllegalArgumentException("window " + window + ", capacity " + capacity);
        }
        this.window = window;
        this.capacity = capacity;
        this.clock = clock;
    }

    Duration window() {
        return window;
    }

    /**
     * Holds a click of link {@code link} of the message and recipient {@code key}, now. Returns the
     * clicks released at once: this one when the rule is off, the oldest ones when over capacity.
     */
    synchronized List<Released<T>> hold(String key, int link, T click) {
        Instant now = clock.instant();
        if (window.isZero()) {
            return List.of(new Released<>(click, false));
        }
        Held<T> h = new Held<>(key, link, now, click);
        List<Held<T>> same = byKey.computeIfAbsent(key, k -> new ArrayList<>(2));
        for (Held<T> other : same) {
            if (other.link != link && Duration.between(other.at, now).abs().compareTo(window) <= 0) {
                other.burst = true;
                h.burst = true;
            }
        }
        same.add(h);
        order.addLast(h);
        List<Released<T>> out = new ArrayList<>(0);
        while (order.size() > capacity) {
            out.add(remove(order.pollFirst()));
        }
        return out;
    }

    /** The clicks held for their whole window by now, oldest first. */
    synchronized List<Released<T>> release() {
        Instant now = clock.instant();
        List<Released<T>> out = new ArrayList<>();
        while (!order.isEmpty() && !order.peekFirst().at.plus(window).isAfter(now)) {
            out.add(remove(order.pollFirst()));
        }
        return out;
    }

    /** Every click still held, with what is known of it (at shutdown). */
    synchronized List<Released<T>> releaseAll() {
        List<Released<T>> out = new ArrayList<>(order.size());
        while (!order.isEmpty()) {
            out.add(remove(order.pollFirst()));
        }
        return out;
    }

    synchronized int held() {
        return order.size();
    }

    private Released<T> remove(Held<T> h) {
        List<Held<T>> same = byKey.get(h.key);
        same.remove(h);
        if (same.isEmpty()) {
            byKey.remove(h.key);
        }
        return new Released<>(h.click, h.burst);
    }
}
