package io.sluice.daemon;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.ConfigurationReader;
import io.micronaut.core.naming.NameUtils;
import io.micronaut.inject.BeanDefinition;
import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.EgressSettings;
import io.sluice.daemon.egress.sources.EgressPlan;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code bin/sluice check-config [file]}: builds the daemon's context in the {@value #ENVIRONMENT}
 * environment (no listeners, no spool, no event log: those beans are {@code @Requires(notEnv = ...)}
 * it), instantiates every settings bean the daemon would, and the egress file, and prints every
 * problem with its key instead of stopping at the first. The daemon fails to start on the same
 * problems, because they are the same beans. Exit 0 when clean, 1 with problems, 2 when the file
 * cannot be read.
 */
public final class ConfigCheck {
    /** The environment in which only configuration is read; nothing is opened or bound. */
    public static final String ENVIRONMENT = io.sluice.daemon.config.Environments.CHECK_CONFIG;

    /**
     * Beans whose construction validates settings (a ConfigException names the key) and opens
     * nothing. Not ApiTokens: it needs the known pools, hence the dispatcher, hence the spool.
     */
    private static final List<String> VALIDATING_BEANS = List.of(
            "io.sluice.protocol.client.SmtpClient",
            "io.sluice.daemon.ingress.DomainCheck",
            "io.sluice.daemon.config.HttpAccess",
            "io.sluice.daemon.cluster.ClusterSettings",
            "io.sluice.daemon.config.PublicListenerSettings",
            "io.sluice.protocol.dane.DaneLookup",
            "io.sluice.daemon.ingress.compliance.GateSettings",
            "io.sluice.daemon.egress.window.WindowPolicy",
            "io.sluice.daemon.engagement.TrackingSettings",
            "io.sluice.daemon.engagement.AppleEgressRanges", // reads the ranges file: a bad line is a config problem
            "io.sluice.daemon.engagement.TrustedProxies",
            "io.sluice.daemon.egress.tls.TlsSetup");

    /** Micronaut's "List of constraint violations:[ a.b.Type.property - message ]" lines. */
    private static final java.util.regex.Pattern VIOLATION =
            java.util.regex.Pattern.compile("^\\s*([\\w.$]+)\\.(\\w+) - (.+)$", java.util.regex.Pattern.MULTILINE);
    private static final java.util.regex.Pattern PROPERTY =
            java.util.regex.Pattern.compile("property value \\[([\\w.\\[\\]-]+)]");

    /** Settings class name → its configuration prefix, to name keys in violations found through other beans. */
    private static final java.util.Map<String, String> PREFIXES = new java.util.concurrent.ConcurrentHashMap<>();

    private ConfigCheck() {
    }

    public static void main(String[] args) {
        // the report is the output: only warnings from the framework (read by logback.xml)
        if (System.getProperty("SLUICE_LOG_LEVEL") == null && System.getenv("SLUICE_LOG_LEVEL") == null) {
            System.setProperty("SLUICE_LOG_LEVEL", "WARN");
        }
        if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
            System.err.println("usage: sluice check-config [file.yml]");
            System.exit(2);
        }
        if (args.length == 1) {
            Path file = Path.of(args[0]);
            if (!Files.isReadable(file)) {
                System.err.println("sluice check-config: cannot read " + file);
                System.exit(2);
            }
            System.setProperty("micronaut.config.files", file.toAbsolutePath().toString());
        }
        List<String> problems = problems();
        String what = System.getProperty("micronaut.config.files", "the built-in defaults");
        if (problems.isEmpty()) {
            System.out.println(what + ": OK");
            System.exit(0);
        }
        System.out.println(what + ": " + problems.size() + " problem(s)");
        problems.forEach(p -> System.out.println("  " + p));
        System.exit(1);
    }

    /** Every problem found, each naming its key; empty when the daemon would start. */
    public static List<String> problems() {
        Set<String> problems = new LinkedHashSet<>();
        ApplicationContext context;
        try {
            context = ApplicationContext.builder().mainClass(Sluice.class).environments(ENVIRONMENT).banner(false).start();
        } catch (RuntimeException e) {
            problems.add(describe(e, null));
            return new ArrayList<>(problems);
        }
        try (context) {
            List<BeanDefinition<?>> settings = new ArrayList<>();
            for (BeanDefinition<?> def : context.getAllBeanDefinitions()) {
                if (def.getBeanType().getName().startsWith("io.sluice.") && def.hasStereotype(ConfigurationReader.class)) {
                    settings.add(def);
                    def.stringValue(ConfigurationReader.class, "prefix")
                            .ifPresent(p -> PREFIXES.put(def.getBeanType().getName(), p));
                }
            }
            settings.sort(Comparator.comparing(d -> d.getBeanType().getName()));
            for (BeanDefinition<?> def : settings) {
                try {
                    context.getBeansOfType(def.getBeanType());
                } catch (RuntimeException e) {
                    problems.add(describe(e, def.stringValue(ConfigurationReader.class, "prefix").orElse(null)));
                }
            }
            // beans that check settings beyond their types (names, modes, files), and open nothing
            for (String name : VALIDATING_BEANS) {
                try {
                    context.getBean(Class.forName(name));
                } catch (ClassNotFoundException e) {
                    // not in this build
                } catch (RuntimeException e) {
                    String problem = describe(e, null);
                    if (hasKey(e)) {
                        problems.add(problem);
                    }
                }
            }
            try {
                io.sluice.daemon.ingress.TenantNetworks.from(context.getEnvironment());
            } catch (RuntimeException e) {
                problems.add(describe(e, "sluice.tenants"));
            }
            try {
                EgressSettings egress = context.getBean(EgressSettings.class);
                if (egress.file() != null && !egress.file().isBlank()) {
                    EgressPlan.load(Path.of(egress.file()));
                }
            } catch (RuntimeException e) {
                problems.add(describe(e, "sluice.egress"));
            }
            try {
                io.sluice.daemon.egress.breaker.BreakerRules.load(
                        context.getBean(io.sluice.daemon.config.BreakerSettings.class));
            } catch (RuntimeException e) {
                problems.add(describe(e, "sluice.breaker"));
            }
        }
        return new ArrayList<>(problems);
    }

    /** The most precise message in the cause chain: a ConfigException or a constraint violation names its key. */
    static String describe(Throwable e, String prefix) {
        Throwable deepest = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException c) {
                return c.getMessage().replaceFirst("^configuration error: ", "");
            }
            if (t instanceof ConstraintViolationException v) {
                List<String> out = new ArrayList<>();
                for (ConstraintViolation<?> violation : v.getConstraintViolations()) {
                    out.add(key(prefix, violation.getPropertyPath().toString()) + "=" + violation.getInvalidValue()
                            + ": " + violation.getMessage());
                }
                out.sort(null);
                return String.join("\n  ", out);
            }
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (message.contains("constraint violations")) {
                List<String> out = new ArrayList<>();
                java.util.regex.Matcher m = VIOLATION.matcher(message.substring(message.indexOf("constraint violations")));
                while (m.find()) {
                    out.add(key(PREFIXES.getOrDefault(m.group(1), prefix), m.group(2)) + ": " + m.group(3).strip());
                }
                if (!out.isEmpty()) {
                    return String.join("\n  ", out);
                }
            }
            deepest = t;
        }
        if (Boolean.getBoolean("sluice.check-config.trace")) {
            e.printStackTrace();
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            java.util.regex.Matcher m = PROPERTY.matcher(t.getMessage() == null ? "" : t.getMessage());
            if (m.find()) {
                String why = deepest.getMessage() == null ? deepest.toString() : deepest.getMessage();
                return m.group(1) + ": " + why.lines().findFirst().orElse(why).strip();
            }
        }
        String message = deepest.getMessage() == null ? deepest.toString() : deepest.getMessage();
        return message.lines().findFirst().orElse(message).strip();
    }

    private static boolean hasKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException || t instanceof ConstraintViolationException
                    || (t.getMessage() != null && (t.getMessage().contains("constraint violations")
                    || PROPERTY.matcher(t.getMessage()).find()))) {
                return true;
            }
        }
        return false;
    }

    /** "SmtpSettings.port" under prefix sluice.smtp: "sluice.smtp.port". */
    private static String key(String prefix, String propertyPath) {
        String[] parts = propertyPath.split("\\.");
        String last = NameUtils.hyphenate(parts[parts.length - 1]);
        return prefix == null ? propertyPath : prefix + "." + last;
    }
}
