package io.sluice.protocol.client;

import io.sluice.protocol.smtp.SmtpReply;
import java.io.IOException;

/** A session-level failure: the connection could not be used (further). */
public class SmtpClientException extends IOException {

    /** What went wrong; decides whether the caller tries the next MX host, retries or bounces. */
    public enum Kind {
        /** TCP connect refused, unreachable or timed out. */
        CONNECT,
        /** STARTTLS required but not offered or refused, or the TLS handshake failed. */
        TLS,
        /** The server did not answer within the phase's timeout; the connection is closed. */
        TIMEOUT,
        /** The banner was not 220 (e.g. 421 or 554); {@link #reply()} holds it. */
        GREETING,
        /** A malformed reply, a 421 mid-session, or EHLO/HELO/RSET refused; see {@link #reply()}. */
        PROTOCOL,
        /** The connection closed underneath a command. */
        CLOSED
    }

    private final Kind kind;
    private final transient SmtpReply reply;

    public SmtpClientException(Kind kind, String message, SmtpReply reply, Throwable cause) {
        super(message + (reply != null ? ": " + reply : ""), cause);
        this.kind = kind;
        this.reply = reply;
    }

    public SmtpClientException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The server's reply that caused this failure, or null when there was none. */
    public SmtpReply reply() {
        return reply;
    }
}
