package io.sluice.protocol.client;

/** The DATA payload as given in a {@link Transaction}: CRLF lines, not yet dot-stuffed. */
record MessageBody(byte[] content) {
}
