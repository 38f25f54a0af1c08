package io.sluice.daemon.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Reads the daemon's JSON-lines event log, the way an operator's tooling would. */
final class EventLogReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    EventLogReader(Path file) {
        this.file = file;
    }

    List<JsonNode> all() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<JsonNode> events = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    events.add(JSON.readTree(line));
                }
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<JsonNode> ofType(String type) {
        return all().stream().filter(e -> type.equals(e.path("type").asText())).toList();
    }

    /** Waits until an event matching the predicate appears; fails with the log so far. */
    JsonNode await(String description, Duration timeout, Predicate<JsonNode> match) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            for (JsonNode e : all()) {
                if (match.test(e)) {
                    return e;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no event " + description + " within " + timeout + "; events:\n"
                        + String.join("\n", all().stream().map(JsonNode::toString).toList()));
            }
            Thread.sleep(100);
        }
    }

    static Predicate<JsonNode> type(String type, String recipient) {
        return e -> type.equals(e.path("type").asText()) && recipient.equals(e.path("recipient").asText());
    }
}
