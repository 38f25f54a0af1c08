package io.sluice.daemon.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import io.sluice.daemon.ingress.smtp.SmtpIngress;
import io.sluice.queue.Spool;
import io.sluice.queue.SpoolStatus;

/**
 * {@code GET /health}: 200 once SMTP is listening and the spool is open; 503 with the reason
 * when either is not so, or when free disk is below {@code sluice.spool.min-free} (the
 * listener is then answering 452 to new mail, so a balancer should send it elsewhere).
 */
@Controller("/health")
public final class HealthController {
    private final SmtpIngress smtp;
    private final Spool spool;

    public HealthController(SmtpIngress smtp, Spool spool) {
        this.smtp = smtp;
        this.spool = spool;
    }

    @Serdeable
    public record Health(String status, boolean smtpListening, int smtpPort, SpoolHealth spool) {
    }

    /** The spool's state as /health shows it. */
    @Serdeable
    public record SpoolHealth(long freeBytes, long minFreeBytes, boolean degraded, long liveMessages,
                              long liveDeliveries) {
        static SpoolHealth of(SpoolStatus s) {
            return new SpoolHealth(s.freeBytes(), s.minFreeBytes(), s.degraded(), s.liveMessages(), s.liveDeliveries());
        }
    }

    @Get
    public HttpResponse<Health> health() {
        SpoolStatus status = spool.status();
        boolean listening = smtp.isListening();
        String state = !listening ? "DOWN" : status.degraded() ? "DEGRADED" : "UP";
        Health body = new Health(state, listening, smtp.port(), SpoolHealth.of(status));
        return "UP".equals(state) ? HttpResponse.ok(body) : HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }
}
