package io.sluice.daemon.ingress.smtp;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.MessageHandlerFactory;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The graceful stop of the SMTP listeners (relay and submission). Once {@link #drain} starts, a
 * new session is greeted with {@code 421 4.3.2 Service shutting down} and a {@code MAIL} in an open
 * session gets the same; a transaction already under way finishes (its {@code 250} still means
 * durable). {@link #drain} returns when no transaction is open, or after {@code sluice.shutdown.grace}
 * (30 s), whichever is first; then the listeners close.
 */
@Singleton
public final class SmtpDrain implements SessionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpDrain.class);
    static final int CODE = 421;
    static final String TEXT = "4.3.2 Service shutting down";

    private final Duration grace;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger transactions = new AtomicInteger();
    private final Object idle = new Object();

    public SmtpDrain(@Value("${sluice.shutdown.grace:30s}") Duration grace) {
        this.grace = grace;
    }

    @Override
    public SessionAcceptance accept(Session session) {
        return draining.get() ? SessionAcceptance.failure(CODE, TEXT) : SessionAcceptance.success();
    }

    @Override
    public void onSessionEnd(Session session) {
        // transactions are counted per MessageHandler, not per session
    }

    /** Wraps a handler factory so that transactions are counted and refused while draining. */
    MessageHandlerFactory counting(MessageHandlerFactory factory) {
        return ctx -> new Counted(factory.create(ctx));
    }

    /**
     * Stops taking sessions and transactions and waits up to the grace time for the open ones.
     *
     * @return true when every transaction finished in time
     */
    public boolean drain() {
        draining.set(true);
        long deadline = System.nanoTime() + grace.toNanos();
        LOG.info("draining SMTP: {} transaction(s) open, waiting up to {}", transactions.get(), grace);
        synchronized (idle) {
            while (transactions.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("SMTP drain: {} transaction(s) still open after {}; closing", transactions.get(), grace);
                    return false;
                }
                try {
                    idle.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        LOG.info("SMTP drained");
        return true;
    }

    public boolean isDraining() {
        return draining.get();
    }

    private void ended() {
        if (transactions.decrementAndGet() <= 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** One transaction: counted from MAIL to done(); MAIL while draining is refused. */
    private final class Counted implements MessageHandler {
        private final MessageHandler delegate;
        private boolean counted;

        Counted(MessageHandler delegate) {
            this.delegate = delegate;
        }

        @Override
        public void from(String from) throws RejectException {
            if (draining.get()) {
                throw new RejectException(CODE, TEXT);
            }
            if (!counted) {
                counted = true;
                transactions.incrementAndGet();
            }
            delegate.from(from);
        }

        @Override
        public void recipient(String recipient) throws RejectException {
            delegate.recipient(recipient);
        }

        @Override
        public String data(InputStream data) throws RejectException, IOException {
            return delegate.data(data);
        }

        @Override
        public void done() {
            try {
                delegate.done();
            } finally {
                if (counted) {
                    counted = false;
                    ended();
                }
            }
        }
    }
}
