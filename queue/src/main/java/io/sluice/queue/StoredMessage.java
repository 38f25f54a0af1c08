package io.sluice.queue;

/** A live message read back from the spool: its envelope and its body bytes exactly as accepted. */
public record StoredMessage(MessageId id, Envelope envelope, byte[] body) {}
