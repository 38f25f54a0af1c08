package io.sluice.daemon.egress;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open connection whose path ran out of work, kept for the next delivery to the same path
 * (Postfix's connection cache, KumoMTA's idle timeout): at a few hundred messages a second a path
 * empties between messages, and without this every message paid a TCP handshake, a greeting, EHLO
 * and QUIT. Whoever claims it first decides its fate: the pump resumes the session on it, the
 * scheduler's tick (past the idle time) or shutdown closes it; the other finds it claimed and does nothing.
 */
final class IdleConnection {
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final Runnable resume;
    private final Runnable close;
    /** When it went idle (the engine clock's milliseconds). */
    final long since;

    IdleConnection(Runnable resume, Runnable close, long since) {
        this.resume = resume;
        this.close = close;
        this.since = since;
    }

    /** Resumes the session on it, if nobody claimed it first; true when it did. */
    boolean resume() {
        if (!claimed.compareAndSet(false, true)) {
            return false;
        }
        resume.run();
        return true;
    }

    /** Closes it (QUIT, then its connection slot is given back), if nobody claimed it first. */
    boolean close() {
        if (!claimed.compareAndSet(false, true)) {
            return false;
        }
        close.run();
        return true;
    }
}
