package io.sluice.daemon.engagement;

import io.sluice.daemon.engagement.history.EngagementStore;
import io.sluice.daemon.operate.events.EventLog;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where a {@code Click} waits for its verdict before it is logged: {@link ClickBursts} holds it
 * for {@code sluice.tracking.link-scanner-window} (2 s unless set; 0 logs at once), then it goes to
 * the event log, flagged {@code link-scanner} when other links of the same message and recipient
 * were clicked within that window. The redirect itself is never delayed. Clicks still held at
 * shutdown are logged with what is known of them then.
 */
@Singleton
final class ClickHold {
    /** About 15 MB at most, far more than the clicks of two seconds of any campaign. */
    static final int CAPACITY = 50_000;

    /** A click as the controller saw it. */
    record Click(TrackingTokens.Hit hit, Fetcher fetcher, Instant at) {
    }

    private final ClickBursts<Click> bursts;
    private final EventLog events;
    private final EngagementStore engagement;
    private ScheduledExecutorService timer; // started at the first held click: most daemons track nothing

    ClickHold(TrackingSettings settings, EventLog events, Clock clock, EngagementStore engagement) {
        this.bursts = new ClickBursts<>(settings.linkScannerWindow(), CAPACITY, clock);
        this.events = events;
        this.engagement = engagement;
    }

    void click(TrackingTokens.Hit hit, Fetcher fetcher, Instant at) {
        String key = hit.messageId() + "/" + hit.recipientIndex();
        publish(bursts.hold(key, hit.link(), new Click(hit, fetcher, at)));
        if (!bursts.window().isZero()) {
            // a little after the window, so the click's hold is surely over when the task runs
            timer().schedule(() -> publish(bursts.release()), bursts.window().toMillis() + 20, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sluice-click-hold");
                t.setDaemon(true);
                return t;
            });
        }
        return timer;
    }

    private void publish(List<ClickBursts.Released<Click>> released) {
        for (ClickBursts.Released<Click> r : released) {
            Click c = r.click();
            Fetcher f = r.burst() ? c.fetcher().asLinkScanner() : c.fetcher();
            events.publish(TrackingController.event("Click", c.hit(), f, c.at(), engagement));
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
        publish(bursts.releaseAll());
    }
}
