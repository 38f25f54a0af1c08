package io.sluice.daemon.operate.health;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import io.sluice.daemon.cluster.ClusterHealth;
import io.sluice.daemon.ingress.smtp.SmtpIngress;
import io.sluice.queue.Spool;
import io.sluice.queue.SpoolStatus;

/**
 * {@code GET /health}: 200 once SMTP is listening and the spool is open; 503 with the reason
 * when either is not so, or when free disk is below {@code sluice.spool.min-free} or the spool
 * holds {@code sluice.spool.max-live-deliveries} (the listener is then answering 452 to new mail,
 * so a balancer should send it elsewhere).
 */
@Controller("/health")
public final class HealthController {
    private final SmtpIngress smtp;
    private final Spool spool;
    private final ClusterHealth cluster;

    public HealthController(SmtpIngress smtp, Spool spool, ClusterHealth cluster) {
        this.smtp = smtp;
        this.spool = spool;
        this.cluster = cluster;
    }

    @Serdeable
    public record Health(String status, boolean smtpListening, int smtpPort, SpoolHealth spool, Cluster cluster) {
    }

    /**
     * Cluster mode as /health shows it. A node whose Redis is down still delivers (under its
     * outage share of each limit), so it stays UP: this part tells the operator, not the balancer.
     */
    @Serdeable
    public record Cluster(String mode, String node, String redis) {
        static Cluster of(ClusterHealth h) {
            return "single".equals(h.mode()) ? new Cluster("single", null, null)
                    : new Cluster(h.mode(), h.nodeId(), h.redisUp() ? "up" : "down");
        }
    }

    /** The spool's state as /health shows it. */
    @Serdeable
    public record SpoolHealth(long freeBytes, long minFreeBytes, boolean degraded, long liveMessages,
                              long liveDeliveries, long quarantinedRecords) {
        static SpoolHealth of(SpoolStatus s) {
            return new SpoolHealth(s.freeBytes(), s.minFreeBytes(), s.degraded(), s.liveMessages(), s.liveDeliveries(),
                    s.quarantinedRecords());
        }
    }

    @Get
    public HttpResponse<Health> health() {
        SpoolStatus status = spool.status();
        boolean listening = smtp.isListening();
        String state = !listening ? "DOWN" : status.degraded() ? "DEGRADED" : "UP";
        Health body = new Health(state, listening, smtp.port(), SpoolHealth.of(status), Cluster.of(cluster));
        return "UP".equals(state) ? HttpResponse.ok(body) : HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }
}
