package io.sluice.daemon.egress.window;

/** A window text that cannot be used; the message says which part and why, for the sender to read. */
public final class WindowSyntaxException extends Exception {
    public WindowSyntaxException(String message) {
        super(message, null, false, false);
    }
}
