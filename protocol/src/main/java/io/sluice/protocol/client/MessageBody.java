package io.sluice.protocol.client;

/** The DATA payload as given in a {@link Transaction}: prefix then content, CRLF lines, not yet dot-stuffed. */
record MessageBody(byte[] prefix, byte[] content) {
    MessageBody(byte[] content) {
        this(new byte[0], content);
    }
}
