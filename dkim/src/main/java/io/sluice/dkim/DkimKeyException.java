package io.sluice.dkim;

/** A key file that cannot be used for DKIM; the message names the file and the problem. */
public final class DkimKeyException extends Exception {
    public DkimKeyException(String message) {
        super(message);
    }

    public DkimKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
