package io.sluice.daemon.config;

import java.util.Locale;

/**
 * A size written as operators write them in the configuration ({@code 64MB}, {@code 512KB},
 * {@code 1GB}, or plain bytes), the same units the typed settings take through Micronaut's
 * {@code @ReadableBytes}; for keys read straight from the environment.
 */
public final class ByteSize {
    private ByteSize() {}

    /** Bytes in {@code value}; a {@link ConfigException} naming {@code key} when it is not a size. */
    public static long parse(String key, String value) {
        String v = value.strip().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (v.endsWith("KB")) {
            unit = 1L << 10;
        } else if (v.endsWith("MB")) {
            unit = 1L << 20;
        } else if (v.endsWith("GB")) {
            unit = 1L << 30;
        }
        String digits = unit == 1 ? v : v.substring(0, v.length() - 2).strip();
        try {
            long n = Long.parseLong(digits);
            if (n < 0 || n > Long.MAX_VALUE / unit) {
                throw new ConfigException(key, value, "must be a size from 0 (for example 64MB, 512KB, 1GB)");
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "not a size (for example 64MB, 512KB, 1GB)");
        }
    }
}
