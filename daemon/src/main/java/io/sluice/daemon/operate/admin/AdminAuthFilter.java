package io.sluice.daemon.operate.admin;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Guards {@code /admin/**}: with {@code sluice.admin.token} set, every request needs
 * {@code Authorization: Bearer <token>}; unset, only loopback clients get in. (Shared with the
 * egress engine's admin endpoints: same key, same prefix.)
 */
@ServerFilter("/admin/**")
public final class AdminAuthFilter {
    private final byte[] token;

    public AdminAuthFilter(@Nullable @Value("${sluice.admin.token:}") String token) {
        this.token = token == null || token.isBlank() ? null : token.strip().getBytes(StandardCharsets.UTF_8);
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        if (token == null) {
            var remote = request.getRemoteAddress();
            boolean loopback = remote != null && remote.getAddress() != null && remote.getAddress().isLoopbackAddress();
            return loopback ? null : problem(HttpStatus.FORBIDDEN, "admin API is loopback-only while sluice.admin.token is unset");
        }
        String auth = request.getHeaders().get("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)
                || !MessageDigest.isEqual(token, auth.substring(7).strip().getBytes(StandardCharsets.UTF_8))) {
            return problem(HttpStatus.UNAUTHORIZED, "missing or wrong bearer token").header("WWW-Authenticate", "Bearer");
        }
        return null;
    }

    private static io.micronaut.http.MutableHttpResponse<?> problem(HttpStatus status, String detail) {
        return HttpResponse.status(status).contentType("application/problem+json")
                .body("{\"status\":" + status.getCode() + ",\"title\":\"" + status.getReason() + "\",\"detail\":\"" + detail + "\"}");
    }
}
