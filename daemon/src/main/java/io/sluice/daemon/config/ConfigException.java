package io.sluice.daemon.config;

/** A setting that cannot be used; the message names the key, the value and what is wrong. */
public final class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, String value, String problem) {
        super("configuration error: " + key + "=" + value + ": " + problem);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
