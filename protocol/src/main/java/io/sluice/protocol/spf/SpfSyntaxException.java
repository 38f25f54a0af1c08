package io.sluice.protocol.spf;

/** A record, term or macro that RFC 7208's grammar does not allow: check_host() gives permerror. */
final class SpfSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    SpfSyntaxException(String message) {
        super(message);
    }
}
