package io.sluice.daemon.operate.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.sluice.daemon.engagement.history.EngagementStore;
import io.sluice.daemon.engagement.history.RecipientEngagement;
import io.sluice.daemon.http.Problem;
import io.sluice.daemon.label.Tenant;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code /admin/engagement}: each recipient's last human open and click, for the sending
 * application to sunset inactive subscribers itself (docs/api.md). Per tenant, as suppressions
 * are ({@code tenant} defaults to {@code default}); who may call is {@link AdminAuthFilter}'s
 * decision. Nothing here suppresses anyone.
 */
@Controller("/admin/engagement")
@ExecuteOn(TaskExecutors.BLOCKING) // a listing walks the store under its lock: not on the event loop
public final class EngagementController {
    static final int MAX_LIMIT = 10_000;
    private final EngagementStore store;

    public EngagementController(EngagementStore store) {
        this.store = store;
    }

    /** One recipient: 200 with its last human open and click, 404 {@code "engaged":false} when none is kept. */
    @Get
    public HttpResponse<?> lookup(@Nullable @QueryValue String tenant, @Nullable @QueryValue String recipient) {
        Tenant t;
        try {
            t = Tenant.of(tenant);
        } catch (IllegalArgumentException e) {
            return problem("tenant: " + e.getMessage());
        }
        if (recipient == null || recipient.isBlank() || !recipient.contains("@")) {
            return problem("recipient: an address such as bob@example.com is needed");
        }
        return store.lookup(t.name(), recipient)
                .<HttpResponse<?>>map(e -> HttpResponse.ok(View.of(e)))
                .orElseGet(() -> HttpResponse.status(HttpStatus.NOT_FOUND).body(new View(t.name(),
                        recipient.strip().toLowerCase(java.util.Locale.ROOT), false, null, null, null)));
    }

    /**
     * A tenant's engaged recipients in address order, {@code limit} a page (default 1,000), whose
     * last activity is at or after {@code since} and before {@code before}; {@code after} is the
     * previous page's {@code next}.
     */
    @Get("/list")
    public HttpResponse<?> list(@Nullable @QueryValue String tenant, @Nullable @QueryValue String since,
                                @Nullable @QueryValue String before, @Nullable @QueryValue String after,
                                @QueryValue(defaultValue = "1000") int limit) {
        Tenant t;
        try {
            t = Tenant.of(tenant);
        } catch (IllegalArgumentException e) {
            return problem("tenant: " + e.getMessage());
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            return problem("limit: must be 1 to " + MAX_LIMIT + ", not " + limit);
        }
        Instant from;
        Instant to;
        try {
            from = instant(since);
        } catch (DateTimeParseException e) {
            return problem("since: not an ISO-8601 instant such as 2026-01-01T00:00:00Z: " + since);
        }
        try {
            to = instant(before);
        } catch (DateTimeParseException e) {
            return problem("before: not an ISO-8601 instant such as 2026-01-01T00:00:00Z: " + before);
        }
        EngagementStore.Page page = store.list(t.name(), from, to, after, limit);
        return HttpResponse.ok(new Page(t.name(), page.entries().stream().map(View::of).toList(), page.next()));
    }

    /** One recipient's answer; every field written, null ones as null (a stable shape for scripts). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record View(String tenant, String recipient, boolean engaged, @JsonProperty("last_open") String lastOpen,
                       @JsonProperty("last_click") String lastClick,
                       @JsonProperty("last_activity") String lastActivity) {
        static View of(RecipientEngagement e) {
            return new View(e.tenant(), e.recipient(), true, text(e.lastOpen()), text(e.lastClick()),
                    text(e.lastActivity()));
        }

        private static String text(Instant i) {
            return i == null ? null : i.toString();
        }
    }

    /** A page of the listing; {@code next} is null on the last page. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Page(String tenant, List<View> recipients, String next) {
    }

    private static Instant instant(String s) {
        return s == null || s.isBlank() ? null : Instant.parse(s.strip());
    }

    private static HttpResponse<?> problem(String detail) {
        return Problem.of(HttpStatus.BAD_REQUEST, detail).response();
    }
}
