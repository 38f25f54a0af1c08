package io.sluice.daemon.ingress.compliance;

import io.micronaut.context.env.Environment;
import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.label.Tenant;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.Map;

/**
 * The compliance gate's settings: {@code sluice.compliance.mode} (report, fix or enforce; default
 * report), per tenant {@code sluice.tenants.<name>.compliance}, and {@code
 * sluice.compliance.sender-id}, the right-most field of Gmail's Feedback-ID (5 to 15 characters,
 * the same across the whole mail stream). A bad value is a ConfigException naming its key.
 */
public final class GateSettings {
    static final String MODE = "sluice.compliance.mode";
    static final String SENDER_ID = "sluice.compliance.sender-id";

    private final GateMode defaults;
    private final Map<String, GateMode> tenants;
    private final String senderId;

    public GateSettings(GateMode defaults, Map<String, GateMode> tenants, String senderId) {
        if (senderId == null || !senderId.matches("[A-Za-z0-9._-]{5,15}")) {
            throw new ConfigException(SENDER_ID, String.valueOf(senderId),
                    "5 to 15 of A-Z a-z 0-9 . _ - (Gmail's Feedback-ID SenderId)");
        }
        this.defaults = defaults;
        this.tenants = Map.copyOf(tenants);
        this.senderId = senderId;
    }

    public GateMode mode(String tenant) {
        return tenants.getOrDefault(tenant == null ? Tenant.DEFAULT_NAME : tenant, defaults);
    }

    public String senderId() {
        return senderId;
    }

    /** Reads the settings from the daemon's configuration. */
    @io.micronaut.context.annotation.Factory
    static final class Reader {
        @Singleton
        GateSettings gateSettings(Environment env) {
            GateMode defaults = mode(env, MODE, GateMode.REPORT);
            Map<String, GateMode> tenants = new HashMap<>();
            for (String t : env.getPropertyEntries("sluice.tenants")) {
                String key = "sluice.tenants." + t + ".compliance";
                if (env.containsProperty(key)) {
                    tenants.put(t, mode(env, key, defaults));
                }
            }
            return new GateSettings(defaults, tenants,
                    env.getProperty(SENDER_ID, String.class).map(String::strip).orElse("sluice"));
        }

        private static GateMode mode(Environment env, String key, GateMode fallback) {
            String v = env.getProperty(key, String.class).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
            if (v == null) {
                return fallback;
            }
            GateMode m = GateMode.parse(v);
            if (m == null) {
                throw new ConfigException(key, v, "must be report, fix or enforce");
            }
            return m;
        }
    }
}
