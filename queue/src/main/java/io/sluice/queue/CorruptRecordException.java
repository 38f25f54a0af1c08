package io.sluice.queue;

/** A record read from disk whose contents do not hold together; recovery quarantines it. */
final class CorruptRecordException extends RuntimeException {
    CorruptRecordException(String message) {
        super(message, null, false, false);
    }
}
