package io.sluice.daemon;

import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.sluice.daemon.deliverability.doctor.DoctorReport;
import io.sluice.daemon.deliverability.doctor.DoctorService;
import io.sluice.daemon.deliverability.doctor.SendingSetup;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code bin/sluice doctor [--domain D ...] [--json]}: the sender-health doctor over the
 * configuration the daemon would run with (read as check-config reads it: nothing is opened or
 * bound), one line per check, or the JSON of {@code GET /admin/doctor}. Exit 0 when every check
 * passed, 1 with warnings or checks that could not tell, 2 with failures; 3 for bad usage or a
 * configuration that cannot be read.
 */
public final class DoctorCommand {
    private static final int USAGE = 3;

    private DoctorCommand() {
    }

    public static void main(String[] args) {
        if (System.getProperty("SLUICE_LOG_LEVEL") == null && System.getenv("SLUICE_LOG_LEVEL") == null) {
            System.setProperty("SLUICE_LOG_LEVEL", "WARN");
        }
        Set<String> domains = new LinkedHashSet<>();
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = true;
                case "--domain" -> {
                    if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
                        usage("--domain needs a domain");
                    }
                    domains.add(args[++i]);
                }
                case "-h", "--help" -> {
                    System.out.println("usage: sluice doctor [--domain D ...] [--json]");
                    System.exit(0);
                }
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }
        int exit;
        try (ApplicationContext context = ApplicationContext.builder().mainClass(Sluice.class)
                .environments(ConfigCheck.ENVIRONMENT).banner(false).start()) {
            DoctorService doctor = context.getBean(DoctorService.class);
            SendingSetup setup = doctor.setup(domains);
            DoctorReport report = doctor.examine(setup);
            if (json) {
                System.out.println(new String(context.getBean(JsonMapper.class).writeValueAsBytes(report),
                        java.nio.charset.StandardCharsets.UTF_8));
            } else {
                System.out.print(report.text());
            }
            exit = report.exitCode();
        } catch (IOException e) {
            System.err.println("sluice doctor: " + e.getMessage());
            exit = USAGE;
        } catch (RuntimeException e) {
            System.err.println("sluice doctor: " + ConfigCheck.describe(e, null));
            exit = USAGE;
        }
        System.exit(exit);
    }

    private static void usage(String problem) {
        System.err.println("sluice doctor: " + problem + "\nusage: sluice doctor [--domain D ...] [--json]");
        System.exit(USAGE);
    }
}
