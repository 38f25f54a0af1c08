package io.sluice.bench;

/** Bad input or an unusable target: reported as one line, exit status 2. */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }
}
