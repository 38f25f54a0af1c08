package io.sluice.daemon.egress;

import io.sluice.daemon.egress.schedule.TimerWheel;
import io.sluice.daemon.egress.window.WindowPolicy;

import java.time.Clock;
import java.time.Instant;

/**
 * Keeps deliveries outside their delivery window: one whose window is closed goes back on the
 * timer wheel until it opens; one whose window opens only after its max age waits until that
 * deadline (it is never bounced before) and then expires. Checked when a timer fires or a
 * delivery arrives, and again before a delivery leaves its scheduled queue, so a retry or a
 * backlog that runs past the window's close waits too. On the scheduler thread.
 */
final class WindowWait {
    private final WindowPolicy windows;
    private final TimerWheel<Delivery> wheel;
    private final DeliveryOutcomes outcomes;
    private final Clock clock;

    WindowWait(WindowPolicy windows, TimerWheel<Delivery> wheel, DeliveryOutcomes outcomes, Clock clock) {
        this.windows = windows;
        this.wheel = wheel;
        this.outcomes = outcomes;
        this.clock = clock;
    }

    /** True when {@code d} may go now; otherwise it has been put on the wheel (or expired). */
    boolean admit(Delivery d) {
        Instant now = clock.instant();
        Instant opens = windows.opening(d.attributes(), now);
        if (!opens.isAfter(now)) {
            return true;
        }
        Instant deadline = outcomes.deadline(d);
        if (opens.isAfter(deadline)) {
            if (!now.isBefore(deadline)) {
                outcomes.expireOutsideWindow(d);
                return false;
            }
            opens = deadline; // wait to the end of its life, then expire: not a bounce before it
        }
        wheel.schedule(d, opens.toEpochMilli());
        return false;
    }
}
