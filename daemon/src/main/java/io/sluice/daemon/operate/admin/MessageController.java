package io.sluice.daemon.operate.admin;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.serde.annotation.Serdeable;
import io.sluice.queue.LiveDelivery;
import io.sluice.queue.MessageId;
import io.sluice.queue.Spool;
import io.sluice.queue.SpoolException;
import io.sluice.queue.StoredMessage;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One queued message as an operator sees it ({@code GET /admin/messages/{id}}): its envelope, its
 * size, and the recipients that still wait for a final outcome. Read-only; the body is not shown
 * (it is the customer's mail). {@link AdminAuthFilter} guards it like every {@code /admin} path.
 */
@Controller("/admin/messages")
public final class MessageController {
    /** A recipient without a final outcome yet. */
    @Serdeable
    public record Pending(int index, String recipient, int attempts, Instant nextAttemptAt) {
    }

    @Serdeable
    public record Inspection(String id, String sender, List<String> recipients, Instant receivedAt,
                             Map<String, String> attributes, int sizeBytes, List<Pending> liveDeliveries) {
    }

    private final Spool spool;

    public MessageController(Spool spool) {
        this.spool = spool;
    }

    @Get("/{id}")
    public HttpResponse<?> inspect(@PathVariable String id) {
        MessageId messageId;
        try {
            messageId = new MessageId(id);
        } catch (IllegalArgumentException e) {
            return problem(HttpStatus.BAD_REQUEST, "not a message id: " + e.getMessage());
        }
        StoredMessage stored;
        try {
            stored = spool.read(messageId);
        } catch (SpoolException e) {
            return problem(HttpStatus.NOT_FOUND, "no live message " + id + " (never queued, or every recipient is done)");
        }
        List<Pending> pending = spool.liveDeliveries(messageId).stream()
                .map((LiveDelivery d) -> new Pending(d.id().recipient(), d.recipient(), d.attempts(), d.nextAttemptAt()))
                .toList();
        var e = stored.envelope();
        return HttpResponse.ok(new Inspection(id, e.sender(), e.recipients(), e.receivedAt(), e.attributes(),
                stored.body().length, pending));
    }

    private static HttpResponse<?> problem(HttpStatus status, String detail) {
        return HttpResponse.status(status).contentType(MediaType.of("application/problem+json"))
                .body(new AdminController.Problem("about:blank", status.getReason(), status.getCode(), detail));
    }
}
