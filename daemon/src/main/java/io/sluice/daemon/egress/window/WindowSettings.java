package io.sluice.daemon.egress.window;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.core.value.PropertyResolver;
import io.sluice.daemon.config.ConfigException;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads the configured windows once at start: {@code sluice.tenants.<name>.send-window} and
 * {@code sluice.campaigns.<name>.send-window}. A window that cannot open is a ConfigException
 * naming the key, so {@code check-config} reports it and the daemon does not start with it.
 */
@Factory
final class WindowSettings {

    @Singleton
    WindowPolicy windowPolicy(Environment env) {
        return from(env);
    }

    static WindowPolicy from(PropertyResolver env) {
        return new WindowPolicy(read(env, "sluice.tenants"), read(env, "sluice.campaigns"));
    }

    private static Map<String, DeliveryWindow> read(PropertyResolver env, String prefix) {
        Map<String, DeliveryWindow> out = new HashMap<>();
        for (String name : env.getPropertyEntries(prefix)) {
            String key = prefix + "." + name + ".send-window";
            String text = env.getProperty(key, String.class).orElse(null);
            if (text == null || text.isBlank()) {
                continue;
            }
            try {
                out.put(name, DeliveryWindow.parse(text));
            } catch (WindowSyntaxException e) {
                throw new ConfigException(key, text, e.getMessage());
            }
        }
        return out;
    }
}
