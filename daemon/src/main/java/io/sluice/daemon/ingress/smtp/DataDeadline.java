package io.sluice.daemon.ingress.smtp;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The absolute deadline of one DATA or BDAT transfer ({@code sluice.limits.data-timeout}). The
 * idle timeout restarts with every byte, so a client dripping one byte a minute is never idle;
 * before each read the socket's timeout is shortened to what is left of the deadline, and a read
 * begun after it throws {@link Expired}. The session's own idle timeout is put back afterwards.
 */
final class DataDeadline {
    /** The transfer ran past its deadline: the caller answers 421 4.4.2 and closes. */
    static final class Expired extends IOException {
        Expired() {
            super("DATA time limit reached");
        }
    }

    /** No deadline (tests of the framing alone). */
    static final DataDeadline NONE = new DataDeadline(null, Instant.MAX, Clock.systemUTC());

    private final Socket socket;
    private final Instant deadline;
    private final Clock clock;
    private final int idleMillis;
    /* whether the timeout set for the current read is the deadline's, not the idle timeout */
    private boolean deadlineBound;

    private DataDeadline(Socket socket, Instant deadline, Clock clock) {
        this.socket = socket;
        this.deadline = deadline;
        this.clock = clock;
        int idle = 0;
        try {
            idle = socket == null ? 0 : socket.getSoTimeout();
        } catch (SocketException e) {
            // a closed socket: the first read will say so
        }
        this.idleMillis = idle;
    }

    static DataDeadline of(Socket socket, Duration limit, Clock clock) {
        return new DataDeadline(socket, clock.instant().plus(limit), clock);
    }

    /** Throws {@link Expired} once past the deadline; otherwise bounds the next read by what is left. */
    void beforeRead() throws IOException {
        if (deadline == Instant.MAX) {
            return;
        }
        long left = Duration.between(clock.instant(), deadline).toMillis();
        if (left <= 0) {
            throw new Expired();
        }
        if (socket != null) {
            int bound = (int) Math.min(left, Integer.MAX_VALUE);
            deadlineBound = idleMillis == 0 || bound <= idleMillis;
            socket.setSoTimeout(deadlineBound ? bound : idleMillis);
        }
    }

    /** One read from the session's input within the deadline; a timeout the deadline set is {@link Expired}. */
    int read(java.io.InputStream in, byte[] b, int off, int len) throws IOException {
        beforeRead();
        try {
            return in.read(b, off, len);
        } catch (java.net.SocketTimeoutException e) {
            if (deadlineBound || passed()) {
                throw new Expired();
            }
            throw e; // the idle timeout: the session's own answer
        }
    }

    /** One byte, likewise. */
    int read(java.io.InputStream in) throws IOException {
        beforeRead();
        try {
            return in.read();
        } catch (java.net.SocketTimeoutException e) {
            if (deadlineBound || passed()) {
                throw new Expired();
            }
            throw e;
        }
    }

    boolean passed() {
        return deadline != Instant.MAX && !clock.instant().isBefore(deadline);
    }

    /** Puts the session's idle timeout back. */
    void restore() {
        if (socket != null && deadline != Instant.MAX) {
            try {
                socket.setSoTimeout(idleMillis);
            } catch (SocketException e) {
                // closed: nothing to restore
            }
        }
    }
}
