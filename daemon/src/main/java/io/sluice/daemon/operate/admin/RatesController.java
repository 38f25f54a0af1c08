package io.sluice.daemon.operate.admin;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.sluice.daemon.egress.EgressView;
import io.sluice.daemon.http.Problem;
import io.sluice.daemon.outcome.rates.Rates;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /admin/rates}: the deliverability rates of this node, busiest first.
 * {@code by} picks the table (detail: provider × source × tenant × campaign; sender: provider ×
 * tenant × campaign; source: provider × source; tenant: provider × tenant); {@code provider} and
 * {@code tenant} filter; {@code limit} caps the rows (default 100, at most 10,000). Who may call
 * is {@link AdminAuthFilter}'s decision, as for every {@code /admin} endpoint.
 */
@Controller("/admin")
@ExecuteOn(TaskExecutors.BLOCKING) // sums every key's rings: not on the event loop
public final class RatesController {
    private final Rates rates;
    private final EgressView egress;
    private final Clock clock;

    public RatesController(Rates rates, EgressView egress, Clock clock) {
        this.rates = rates;
        this.egress = egress;
        this.clock = clock;
    }

    @Get("/rates")
    public HttpResponse<?> rates(HttpRequest<?> request, @QueryValue(defaultValue = "detail") String by,
                                 @Nullable @QueryValue String provider, @Nullable @QueryValue String tenant,
                                 @QueryValue(defaultValue = "100") int limit) {
        Rates.Table table;
        try {
            table = Rates.Table.valueOf(by.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Problem.of(HttpStatus.BAD_REQUEST, "by must be one of detail, sender, source, tenant, not " + by)
                    .response();
        }
        Instant now = clock.instant();
        List<Rates.Row> all = rates.rows(table, now).stream()
                .filter(r -> provider == null || provider.equals(r.key().provider()))
                .filter(r -> tenant == null || tenant.equals(r.key().tenant()))
                .toList();
        List<Rates.Row> shown = all.subList(0, Math.min(all.size(), Math.max(1, Math.min(limit, 10_000))));
        return HttpResponse.ok(RatesReport.of(rates, table, shown, all.size(), now, egress::hasFeedbackLoop));
    }
}
