package io.sluice.daemon.http.access;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.sluice.daemon.config.PublicListenerSettings;
import io.sluice.daemon.http.Problem;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The first filter every request meets. On the public listener (told apart by the port it arrived
 * on) only {@link PublicPaths} are routed; everything else, {@code /admin}, {@code /api},
 * {@code /prometheus}, {@code /health} included, gets 404 as if it did not exist. On the operator
 * listener every request but the public paths and {@code /health} passes {@link BrowserGuard}.
 */
@ServerFilter("/**")
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class ListenerFilter {
    private final int publicPort;
    private final BrowserGuard guard;

    public ListenerFilter(PublicListenerSettings settings,
                          @io.micronaut.context.annotation.Value("${micronaut.server.host:127.0.0.1}") String operatorHost) {
        this.publicPort = settings.port();
        List<String> names = new ArrayList<>(settings.allowedHosts());
        names.add(operatorHost); // a name the operator bound is one of ours (a literal is checked as one)
        this.guard = new BrowserGuard(names);
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        String path = request.getPath();
        InetSocketAddress local = request.getServerAddress();
        if (publicPort != 0 && local != null && local.getPort() == publicPort) {
            return PublicPaths.isPublic(path) ? null
                    : Problem.of(HttpStatus.NOT_FOUND, "not found").response();
        }
        if (PublicPaths.isPublic(path) || path.equals("/health")) {
            return null;
        }
        return guard.refusal(request.getMethodName(), request.getHeaders().get("Host"),
                        request.getHeaders().get("Origin"), local == null ? null : local.getAddress())
                .<HttpResponse<?>>map(why -> Problem.of(HttpStatus.FORBIDDEN, why).response())
                .orElse(null);
    }
}
