package io.sluice.daemon.outcome.rates;

import io.sluice.daemon.config.RatesSettings;
import io.sluice.daemon.operate.events.Event;
import io.sluice.protocol.bounce.BounceCategory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Rolling deliverability counts, read from the events the engine and the feedback loop publish:
 * <ul>
 *   <li>{@code Delivery} → delivered; {@code TransientFailure} and {@code Expiration} → deferred;
 *       {@code Bounce} → bounced, and hard-bounced when its category is about the address
 *       ({@link BounceCategory#hard()}); either failure is also blocked when the classifier's
 *       reason is {@code blocked} (DNS block lists, "your IP"/policy refusals: docs/bounces.md).
 *       Only attempts made through a provider count (an event with no provider was decided
 *       before any connection: no route, a suppressed recipient);</li>
 *   <li>{@code Feedback} (recorded or suppressed, not {@code not-spam}) → complaint;
 *       {@code Unsubscribe} (suppressed) → unsubscribe; both counted against the key of the
 *       delivery they name when it is remembered ({@link RecentDeliveries}), otherwise against
 *       provider {@code other} and the tenant;</li>
 *   <li>{@code Open} and {@code Click} (issue 20) → open and click when a person's, machine-open and
 *       machine-click when flagged as machine traffic, so the two are never summed; tied to their
 *       delivery as feedback is, else counted under provider {@code other}, the tenant and campaign.</li>
 * </ul>
 * Every signal is counted under four keys: the detail (provider × source × tenant × campaign)
 * and the roll-ups {@link RateKey#sender()}, {@link RateKey#sourceOnly()} and
 * {@link RateKey#tenantOnly()}, each table capped at {@code sluice.rates.max-keys}.
 * Listeners (the circuit breaker, the metrics) hear of every signal after it is counted.
 * Thread-safe.
 */
public final class Rates {
    /** Told of every counted signal, with the detail key. Must be quick: it runs on the event writer. */
    @FunctionalInterface
    public interface Listener {
        void counted(RateKey key, Signal signal, Instant at);
    }

    /** The roll-ups kept besides the detail. */
    public enum Table { DETAIL, SENDER, SOURCE, TENANT }

    /** One key's counts over each window. */
    public record Row(RateKey key, RateCounts m15, RateCounts h1, RateCounts h24) {
    }

    private final RateTable detail;
    private final RateTable sender;
    private final RateTable source;
    private final RateTable tenant;
    private final RecentDeliveries recent;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public Rates(RatesSettings settings) {
        this.detail = new RateTable(settings.maxKeys());
        this.sender = new RateTable(settings.maxKeys());
        this.source = new RateTable(settings.maxKeys());
        this.tenant = new RateTable(settings.maxKeys());
        this.recent = new RecentDeliveries(settings.attributionSize());
    }

    public void listen(Listener listener) {
        listeners.add(listener);
    }

    /** Counts what an event says, if anything. */
    public void accept(Event e) {
        switch (e.type()) {
            case "Delivery", "TransientFailure", "Expiration", "Bounce" -> attempt(e);
            case "Feedback" -> {
                if (isComplaint(e)) {
                    feedback(e, Signal.COMPLAINT);
                }
            }
            case "Unsubscribe" -> {
                if ("suppressed".equals(e.action())) {
                    feedback(e, Signal.UNSUBSCRIBE);
                }
            }
            case "Open" -> feedback(e, "human".equals(e.action()) ? Signal.OPEN : Signal.MACHINE_OPEN);
            case "Click" -> feedback(e, "human".equals(e.action()) ? Signal.CLICK : Signal.MACHINE_CLICK);
            default -> {
            }
        }
    }

    private void attempt(Event e) {
        if (e.provider() == null) {
            return;
        }
        RateKey key = new RateKey(e.provider(), sourceName(e.source()), e.tenant() == null ? "default" : e.tenant(),
                e.campaign());
        Instant at = e.timestamp();
        switch (e.type()) {
            case "Delivery" -> {
                RateKey kept = record(key, Signal.DELIVERED, at);
                if (e.id() != null && e.recipientIndex() != null) {
                    // the table's instance, shared by all its deliveries; never the overflow key,
                    // whose tenant would hide the real one from the roll-ups and the breaker
                    recent.delivered(e.id(), e.recipientIndex(), kept.equals(key) ? kept : key);
                }
            }
            case "Bounce" -> {
                record(key, Signal.BOUNCED, at);
                BounceCategory c = e.bounceCategory() == null ? null : BounceCategory.fromLabel(e.bounceCategory());
                if (c != null && c.hard()) {
                    record(key, Signal.HARD_BOUNCED, at);
                }
            }
            default -> record(key, Signal.DEFERRED, at);
        }
        if ("blocked".equals(e.bounceReason()) && !connectionLevel(e)) {
            record(key, Signal.BLOCKED, at);
        }
    }

    /*
     * A block is a receiver's statement. A failure whose status is network and routing (RFC 3463
     * X.4.x: no answer, a reset, an unreadable or endless reply, all written by Sluice's own
     * transport) or a local fault (X.3.0) says nothing of the receiver's judgement, whatever words
     * the classifier found in it; counting them took a source out of rotation for a broken MX.
     */
    private static boolean connectionLevel(Event e) {
        String code = e.response() == null ? null : e.response().enhancedCode();
        return code != null && (code.startsWith("4.4.") || code.startsWith("5.4.") || code.equals("4.3.0"));
    }

    /* Complaints believed through a token: "ignored" ones had none, "not-spam" is the opposite of a complaint. */
    private static boolean isComplaint(Event e) {
        return ("recorded".equals(e.action()) || "suppressed".equals(e.action()))
                && (e.note() == null || !e.note().endsWith("not-spam"));
    }

    private void feedback(Event e, Signal signal) {
        RateKey key = e.id() == null || e.recipientIndex() == null ? null : recent.of(e.id(), e.recipientIndex());
        if (key == null) {
            // an open or click names its campaign (its token carries it); a complaint does not
            key = new RateKey(RateKey.OTHER, RateKey.OTHER, e.tenant() == null ? "default" : e.tenant(),
                    signal.engagement() ? e.campaign() : null);
        }
        record(key, signal, e.timestamp());
    }

    /** The source's name in an event ("name[address]"; none for the implicit source, named {@code default}). */
    static String sourceName(String described) {
        if (described == null) {
            return "default";
        }
        int bracket = described.indexOf('[');
        return bracket < 0 ? described : described.substring(0, bracket);
    }

    /**
     * Counts one signal under the detail key and its roll-ups, and tells the listeners.
     *
     * @return the detail key as the table keeps it (the overflow key past the cap)
     */
    public RateKey record(RateKey key, Signal signal, Instant at) {
        RateKey kept = detail.add(key, signal, at);
        sender.add(key.sender(), signal, at);
        source.add(key.sourceOnly(), signal, at);
        tenant.add(key.tenantOnly(), signal, at);
        for (Listener l : listeners) {
            l.counted(key, signal, at);
        }
        return kept;
    }

    /** The counts of one key of {@code table} over {@code window}, from buckets starting after {@code floor} (null: all). */
    public RateCounts sum(Table table, RateKey key, RateWindow window, Instant now, Instant floor) {
        return table(table).sum(key, window, now, floor);
    }

    /** Every key of {@code table} with its counts at {@code now}, busiest (24 h attempts) first. */
    public List<Row> rows(Table table, Instant now) {
        RateTable t = table(table);
        List<Row> out = new ArrayList<>();
        for (RateKey k : t.keys()) {
            Row r = new Row(k, t.sum(k, RateWindow.M15, now, null), t.sum(k, RateWindow.H1, now, null),
                    t.sum(k, RateWindow.H24, now, null));
            if (!r.h24().isEmpty()) {
                out.add(r);
            }
        }
        out.sort((a, b) -> Long.compare(b.h24().attempts(), a.h24().attempts()));
        return out;
    }

    public int keys(Table table) {
        return table(table).size();
    }

    /** Signals counted under an overflow key because {@code table} was full. */
    public long overflowed(Table table) {
        return table(table).overflowed();
    }

    private RateTable table(Table t) {
        return switch (t) {
            case DETAIL -> detail;
            case SENDER -> sender;
            case SOURCE -> source;
            case TENANT -> tenant;
        };
    }
}
