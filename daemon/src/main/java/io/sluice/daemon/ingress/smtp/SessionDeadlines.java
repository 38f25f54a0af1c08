package io.sluice.daemon.ingress.smtp;

import io.sluice.daemon.config.SmtpDeadlineSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Absolute deadlines for SMTP sessions and transfers (issue 18 item 6). A session still open
 * {@code sluice.limits.session-timeout} after connect gets {@code 421 4.4.2} and is closed by a
 * watchdog, whatever it is blocked on (a slow command line, a slow DATA); a DATA or BDAT
 * transfer is bounded by {@link DataDeadline}. One watchdog thread serves every session of a
 * listener; a session that ends cancels its timer.
 */
final class SessionDeadlines implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionDeadlines.class);

    private final SmtpDeadlineSettings settings;
    private final Clock clock;
    private final ScheduledExecutorService watchdog;
    private final Map<Session, ScheduledFuture<?>> timers = new ConcurrentHashMap<>();

    SessionDeadlines(SmtpDeadlineSettings settings, Clock clock, String listener) {
        this.settings = settings;
        this.clock = clock;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "smtp-deadlines-" + listener);
            t.setDaemon(true);
            return t;
        });
    }

    /** The deadline of a DATA or BDAT transfer starting now on this session. */
    DataDeadline startData(Session session) {
        return DataDeadline.of(session.getSocket(), settings.dataTimeout(), clock);
    }

    SmtpDeadlineSettings settings() {
        return settings;
    }

    /** Wraps a session handler: sessions it accepts are watched until they end. */
    SessionHandler around(SessionHandler inner) {
        return new SessionHandler() {
            @Override
            public SessionAcceptance accept(Session session) {
                SessionAcceptance a = inner.accept(session);
                if (a.accepted()) {
                    watch(session, settings.sessionTimeout());
                }
                return a;
            }

            @Override
            public void onSessionEnd(Session session) {
                ScheduledFuture<?> timer = timers.remove(session);
                if (timer != null) {
                    timer.cancel(false);
                }
                inner.onSessionEnd(session);
            }
        };
    }

    void watch(Session session, Duration after) {
        timers.put(session, watchdog.schedule(() -> expire(session), after.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void expire(Session session) {
        timers.remove(session);
        LOG.info("SMTP session from {} closed: open longer than {}", session.getRemoteAddress(), settings.sessionTimeout());
        try {
            session.sendResponse("421 4.4.2 Session time limit reached, closing connection");
        } catch (IOException | RuntimeException e) {
            // the client may be gone already; close regardless
        }
        session.quit();
        try {
            session.closeSocket(); // unblocks the session thread's read
        } catch (IOException e) {
            LOG.debug("closing an expired session", e);
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
