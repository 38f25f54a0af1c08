package io.sluice.queue;

import java.nio.file.Path;

/**
 * A record recovery could not decode and set aside instead of refusing to start: which queue
 * ({@code messages} or {@code journal}), its Chronicle index, why it was refused, and the file
 * under {@code <spool>/quarantine/} that keeps its bytes for an operator.
 */
public record QuarantinedRecord(String queue, long index, String reason, Path file) {
}
