package io.sluice.queue;

import java.io.IOException;

/** The spool could not do what was asked; the message (if any) was not accepted. */
public class SpoolException extends IOException {
    public SpoolException(String message) { super(message); }
    public SpoolException(String message, Throwable cause) { super(message, cause); }
}
