package io.sluice.daemon.operate.admin;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.YamlTree;
import io.sluice.daemon.egress.EgressView;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The operator's view of the egress engine ({@code /admin/...}): queues, suspensions, warm-up
 * progress, "why is this mail waiting?", and reload. {@link AdminAuthFilter} decides who may call:
 * with {@code sluice.admin.token} set, {@code Authorization: Bearer <token>}; without, loopback only.
 * Errors are problem+json bodies. Every endpoint runs on the blocking executor: queue counts come
 * from the scheduler's published snapshot, but "why" and reload run on the scheduler thread and
 * an HTTP event-loop thread must never wait for it.
 */
@Controller("/admin")
@ExecuteOn(TaskExecutors.BLOCKING) // "why", suspend and reload may wait for the scheduler thread: never on the event loop
public final class AdminController {
    /** A suspension request: scope and duration (e.g. "30m"); resume needs only the scope. */
    @Serdeable
    public record ScopeRequest(String scope, @Nullable String duration) {
    }

    @Serdeable
    public record Problem(String type, String title, int status, String detail) {
    }

    private final EgressView egress;

    public AdminController(EgressView egress) {
        this.egress = egress;
    }

    @Get("/queues")
    public HttpResponse<?> queues(HttpRequest<?> request, @QueryValue(defaultValue = "100") int limit) {
        return guarded(request, () -> HttpResponse.ok(egress.queues(Math.max(1, Math.min(limit, 10_000)))));
    }

    @Get("/suspensions")
    public HttpResponse<?> suspensions(HttpRequest<?> request) {
        return guarded(request, () -> HttpResponse.ok(egress.suspensions()));
    }

    @Post("/suspend")
    public HttpResponse<?> suspend(HttpRequest<?> request, @Body ScopeRequest body) {
        return guarded(request, () -> {
            Duration d = new YamlTree("duration", body.duration() == null ? "1h" : body.duration())
                    .duration(Duration.ofHours(1));
            return HttpResponse.ok(egress.suspend(body.scope(), d));
        });
    }

    @Post("/resume")
    public HttpResponse<?> resume(HttpRequest<?> request, @Body ScopeRequest body) {
        return guarded(request, () -> HttpResponse.ok(Map.of("scope", body.scope(), "resumed", egress.resume(body.scope()))));
    }

    @Get("/warmup")
    public HttpResponse<?> warmup(HttpRequest<?> request) {
        return guarded(request, () -> HttpResponse.ok(egress.warmup()));
    }

    @Get("/why")
    public HttpResponse<?> why(HttpRequest<?> request, @QueryValue String domain) {
        return guarded(request, () -> HttpResponse.ok(egress.why(domain)));
    }

    @Post("/reload")
    public HttpResponse<?> reload(HttpRequest<?> request) {
        return guarded(request, () -> HttpResponse.ok(egress.reload()));
    }

    /** Who may call is {@link AdminAuthFilter}'s decision; here bad input becomes problem+json. */
    private HttpResponse<?> guarded(HttpRequest<?> request, java.util.function.Supplier<HttpResponse<?>> action) {
        try {
            return action.get();
        } catch (ConfigException e) {
            return problem(HttpStatus.BAD_REQUEST, e.getMessage());
        } catch (IllegalArgumentException e) {
            return problem(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    private static HttpResponse<?> problem(HttpStatus status, String detail) {
        return HttpResponse.status(status).contentType(MediaType.of("application/problem+json"))
                .body(new Problem("about:blank", status.getReason(), status.getCode(), detail));
    }
}
