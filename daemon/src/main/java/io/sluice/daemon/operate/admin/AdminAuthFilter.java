package io.sluice.daemon.operate.admin;

import io.sluice.daemon.config.HttpAccess;
import io.sluice.daemon.http.Problem;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Guards {@code /admin/**} and, with {@code sluice.metrics.require-token}, {@code /prometheus}:
 * with an admin token set ({@code sluice.admin.token} or {@code sluice.admin.token-sha256}) every
 * request needs {@code Authorization: Bearer <token>}; unset, only loopback clients get in (and
 * {@link HttpAccess} refuses to start unset where loopback proves nothing). (Shared with the
 * egress engine's admin endpoints: same key, same prefix.)
 */
@ServerFilter({"/admin/**", "/prometheus", "/prometheus/**"})
public final class AdminAuthFilter {
    private final HttpAccess access;

    public AdminAuthFilter(HttpAccess access) {
        this.access = access;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        if (request.getPath().startsWith("/prometheus") && !access.metricsRequireToken()) {
            return null; // open unless the operator asked otherwise (scrapers on a private network)
        }
        if (access.adminTokenHash() == null) {
            var remote = request.getRemoteAddress();
            boolean loopback = remote != null && remote.getAddress() != null && remote.getAddress().isLoopbackAddress();
            return loopback ? null : problem(HttpStatus.FORBIDDEN, "admin API is loopback-only while sluice.admin.token is unset");
        }
        String auth = request.getHeaders().get("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7) || !access.isAdminToken(auth.substring(7))) {
            return problem(HttpStatus.UNAUTHORIZED, "missing or wrong bearer token").header("WWW-Authenticate", "Bearer");
        }
        return null;
    }

    private static io.micronaut.http.MutableHttpResponse<?> problem(HttpStatus status, String detail) {
        return Problem.of(status, detail).response();
    }
}
