package io.sluice.queue;

/**
 * The file store holding the spool has less usable space than the configured minimum (plus what
 * the message needs), or the spool holds its most live deliveries. Answer 452 / 503 and try
 * later; nothing was written.
 */
public final class SpoolFullException extends SpoolException {
    public SpoolFullException(String message) { super(message); }
}
