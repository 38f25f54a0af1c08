package io.sluice.daemon.operate.status;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the status page; the data comes from the browser's own calls to the admin API. */
@Controller("/status")
public final class StatusPageController {
    private final byte[] page;

    public StatusPageController() {
        try (InputStream in = StatusPageController.class.getResourceAsStream("/status/status.html")) {
            if (in == null) {
                throw new IllegalStateException("status/status.html missing from the jar");
            }
            this.page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<byte[]> page() {
        return HttpResponse.ok(page).header("Cache-Control", "no-cache")
                .header("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'");
    }
}
