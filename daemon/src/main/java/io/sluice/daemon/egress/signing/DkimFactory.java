package io.sluice.daemon.egress.signing;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.EnvironmentPropertySource;
import io.micronaut.context.env.PropertySource;
import io.sluice.daemon.config.SendingDomainSettings;
import io.sluice.daemon.label.SendingDomains;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.Map;

/** Builds the {@link MessageSigner} from {@code sluice.dkim.*} at start-up (eagerly: a bad key stops start-up). */
@Factory
final class DkimFactory {

    @Context
    MessageSigner messageSigner(Environment environment) {
        DkimSettings settings = DkimSettings.parse(properties(environment));
        return new MessageSigner(settings, SendingDomainSettings.from(environment, MessageSigner.authorDomains(settings)));
    }

    /** The tenant-domain binding (issue 18 item 3): the one the signer honours, for ingress to enforce. */
    @Singleton
    SendingDomains sendingDomains(MessageSigner signer) {
        return signer.sendingDomains();
    }

    /**
     * The {@code sluice.dkim.*} names as written in their sources (a domain's dots must survive, so
     * Micronaut's nested-map binding cannot be used), each with its effective value.
     */
    static Map<String, Object> properties(Environment environment) {
        Map<String, Object> out = new HashMap<>();
        // Environment variables cannot spell a domain (SLUICE_DKIM_... loses the dots), and Micronaut
        // offers every dot/dash reading of their names: only the one flag is taken from them.
        environment.getProperty(DkimSettings.PREFIX + "use-parent-domain", String.class)
                .ifPresent(v -> out.put("use-parent-domain", v));
        for (PropertySource source : environment.getPropertySources()) {
            if (EnvironmentPropertySource.NAME.equals(source.getName())) {
                continue;
            }
            for (String name : source) {
                if (name.startsWith(DkimSettings.PREFIX) && !out.containsKey(name.substring(DkimSettings.PREFIX.length()))) {
                    Object value = environment.getProperty(name, Object.class).orElse(source.get(name));
                    out.put(name.substring(DkimSettings.PREFIX.length()), value);
                }
            }
        }
        return out;
    }
}
