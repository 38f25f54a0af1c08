package io.sluice.daemon.ingress.http;

import io.sluice.daemon.http.Problem;
import io.sluice.daemon.http.InvalidParam;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.sluice.daemon.config.ApiSettings;
import io.sluice.queue.SpoolException;
import io.sluice.queue.SpoolFullException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * {@code POST /api/v1/inject}: the HTTP door to {@link io.sluice.daemon.ingress.Intake}. 202
 * only once every accepted recipient is durable in the spool; every refusal is an RFC 9457
 * problem naming the field at fault, and nothing of a refused request is queued.
 */
@Controller("/api/v1")
public final class InjectController {
    private static final Logger LOG = LoggerFactory.getLogger(InjectController.class);

    private final InjectionService service;
    private final IdempotencyStore idempotency;
    private final ApiSettings settings;
    private final JsonMapper json;
    private final ApiTokens tokens;

    public InjectController(InjectionService service, IdempotencyStore idempotency, ApiSettings settings,
                            JsonMapper json, ApiTokens tokens) {
        this.tokens = tokens;
        this.service = service;
        this.idempotency = idempotency;
        this.settings = settings;
        this.json = json;
    }

    @Post(value = "/inject", consumes = MediaType.APPLICATION_JSON,
            produces = {MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> inject(HttpRequest<?> http, @Body InputStream stream) {
        // The body is a stream, read here and nowhere before: who is calling and how much they
        // declare are settled first, so a stranger's 200 MB costs nothing but the refusal.
        ApiTokens.Caller caller;
        try {
            caller = tokens.authenticate(http.getHeaders().get(HttpHeaders.AUTHORIZATION));
        } catch (ApiTokens.Unauthorized e) {
            return new Problem("/problems/unauthorized", "Unauthorized", 401, e.getMessage(), null).response()
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"sluice\"")
                    .header(HttpHeaders.CONNECTION, "close");
        }
        long declared = http.getContentLength();
        if (declared > settings.maxBody()) {
            return tooLarge("the body is declared as " + declared + " octets");
        }
        byte[] body;
        try {
            body = BoundedBody.read(stream, settings.maxBody());
        } catch (BoundedBody.TooLarge e) {
            return tooLarge("the body passed " + settings.maxBody() + " octets");
        } catch (IOException e) {
            return new Problem("/problems/malformed-json", "Malformed JSON", 400,
                    "the body could not be read: " + firstLine(e.getMessage()), null).response();
        }
        JsonNode root;
        try {
            root = json.readValue(body, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            return new Problem("/problems/malformed-json", "Malformed JSON", 400,
                    "the body is not valid JSON: " + firstLine(e.getMessage()), null).response();
        }
        String peer = http.getRemoteAddress().getAddress().getHostAddress();
        try {
            InjectionRequest request = authorise(RequestParser.parse(root, settings.maxRecipients()), caller);
            InjectionResult result;
            if (request.idempotencyKey() == null) {
                result = service.inject(request, peer);
            } else {
                String key = (request.tenant() == null ? "" : request.tenant()) + "/" + request.idempotencyKey();
                result = idempotency.once(key, () -> {
                    try {
                        return service.inject(request, peer);
                    } catch (Exception e) {
                        throw new Refused(e);
                    }
                });
            }
            return HttpResponse.accepted().body(result);
        } catch (Refused r) {
            return refusal(r.getCause());
        } catch (Exception e) { // IdempotencyStore.DiskFull among them: 503, nothing queued
            return refusal(e);
        }
    }

    /** 413; the connection closes so the client stops sending the rest of a body we will not read. */
    private HttpResponse<?> tooLarge(String what) {
        return new Problem("/problems/request-too-large", "Request too large", 413,
                what + "; the limit is " + settings.maxBody() + " (sluice.api.max-body)", null).response()
                .header(HttpHeaders.CONNECTION, "close");
    }

    /** A tenant or pool the caller may not use: 403. */
    private static final class Forbidden extends Exception {
        private final InvalidParam param;

        Forbidden(InvalidParam param) {
            super(param.reason(), null, false, false);
            this.param = param;
        }
    }

    /** Fills in the caller's tenant; refuses a tenant or pool that is unknown or not the caller's. */
    private InjectionRequest authorise(InjectionRequest request, ApiTokens.Caller caller)
            throws InvalidRequestException, Forbidden {
        String tenant = request.tenant();
        if (tenant != null && !tokens.knownTenant(tenant)) {
            throw new InvalidRequestException(List.of(new InvalidParam("tenant", "unknown tenant \"" + tenant + "\"")));
        }
        if (request.pool() != null && !tokens.knownPool(request.pool())) {
            throw new InvalidRequestException(List.of(new InvalidParam("pool", "unknown pool \"" + request.pool()
                    + "\" (see sluice.ingress.pools)")));
        }
        if (caller.tenant() != null) {
            if (tenant != null && !tenant.equals(caller.tenant())) {
                throw new Forbidden(new InvalidParam("tenant", "this token sends for tenant \"" + caller.tenant()
                        + "\" only"));
            }
            tenant = caller.tenant();
        }
        if (request.pool() != null && !caller.pools().contains(request.pool())) {
            throw new Forbidden(new InvalidParam("pool", "this token may not use pool \"" + request.pool() + "\""));
        }
        return request.withTenant(tenant);
    }

    /** Carries a checked refusal out of the idempotency supplier. */
    private static final class Refused extends RuntimeException {
        Refused(Exception cause) {
            super(cause);
        }
    }

    private HttpResponse<?> refusal(Throwable e) {
        if (e instanceof InvalidRequestException invalid) {
            return Problem.invalidRequest(invalid.params().size() + " field(s) at fault; nothing was queued",
                    invalid.params()).response();
        }
        if (e instanceof Forbidden f) {
            return new Problem("/problems/forbidden", "Forbidden", 403, f.getMessage(), List.of(f.param)).response();
        }
        if (e instanceof InjectionService.ForeignDomainException foreign) {
            return new Problem("/problems/foreign-domain", "Not the tenant's domain", 403, foreign.getMessage()
                    + "; nothing was queued", List.of(foreign.param())).response();
        }
        if (e instanceof InjectionService.NonCompliantException gate) {
            List<InvalidParam> rules = gate.verdict().failures().stream()
                    .map(f -> new InvalidParam(f.rule().label(), f.reason())).toList();
            return new Problem("/problems/non-compliant", "Marketing mail not compliant", 422,
                    "the compliance gate (" + gate.verdict().mode().label() + ") refused the message: "
                            + gate.getMessage() + "; nothing was queued", rules).response();
        }
        if (e instanceof InjectionService.RateLimitedException limited) {
            return new Problem("/problems/rate-limited", "Too many messages", 429, limited.getMessage(), null)
                    .response().header(HttpHeaders.RETRY_AFTER, "60");
        }
        if (e instanceof InjectionService.MessageTooLargeException big) {
            return new Problem("/problems/message-too-large", "Message too large", 413, big.getMessage(), null)
                    .response();
        }
        if (e instanceof SpoolFullException) {
            // the disk floor (sluice.spool.min-free) or the live-delivery limit (sluice.spool.max-live-deliveries)
            return new Problem("/problems/insufficient-storage", "Insufficient storage", 507,
                    e.getMessage() + "; nothing was queued, try again later", null).response()
                    .header(HttpHeaders.RETRY_AFTER, "60");
        }
        if (e instanceof IdempotencyStore.DiskFull full) {
            return new Problem("/problems/insufficient-storage", "Insufficient storage", 503, full.getMessage(), null)
                    .response().header(HttpHeaders.RETRY_AFTER, "60");
        }
        if (e instanceof SpoolException) {
            LOG.error("spool refused an injection: {}", e.toString());
            return new Problem("/problems/spool-failure", "Spool failure", 503,
                    "the spool could not store the messages; nothing was queued, try again later", null).response();
        }
        LOG.error("injection failed", e);
        return new Problem("/problems/internal-error", "Internal error", 500, String.valueOf(e.getMessage()),
                List.of()).response();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
