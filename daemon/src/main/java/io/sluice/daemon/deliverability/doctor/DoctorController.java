package io.sluice.daemon.deliverability.doctor;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.Environments;
import io.sluice.daemon.http.Problem;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code GET /admin/doctor[?domain=D&domain=…]}: runs the doctor now and answers its report as
 * JSON (200 whatever the verdicts: the body's {@code verdict} and {@code exitCode} say how it
 * went). Guarded like every {@code /admin} endpoint by {@code operate.admin.AdminAuthFilter}.
 * Runs on the blocking executor: the checks wait for DNS.
 */
@Controller("/admin")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(notEnv = Environments.CHECK_CONFIG)
public final class DoctorController {
    private static final Pattern DOMAIN = Pattern.compile("(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+\\.?");

    private final DoctorService doctor;
    private final SourceHealth health;

    public DoctorController(DoctorService doctor, SourceHealth health) {
        this.doctor = doctor;
        this.health = health;
    }

    @Get("/doctor")
    public HttpResponse<?> doctor(@Nullable @QueryValue("domain") List<String> domains) {
        Set<String> wanted = new LinkedHashSet<>();
        for (String d : domains == null ? List.<String>of() : domains) {
            if (!DOMAIN.matcher(d).matches() || d.length() > 253) {
                return Problem.of(HttpStatus.BAD_REQUEST, "domain '" + d + "' is not a domain name").response();
            }
            wanted.add(d);
        }
        try {
            SendingSetup setup = doctor.setup(wanted);
            DoctorReport report = doctor.examine(setup);
            health.record(report, setup);
            return HttpResponse.ok(report);
        } catch (ConfigException e) {
            return Problem.of(HttpStatus.CONFLICT, "cannot read the configuration the doctor checks: " + e.getMessage()).response();
        }
    }
}
