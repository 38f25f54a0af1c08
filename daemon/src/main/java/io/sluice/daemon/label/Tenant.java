package io.sluice.daemon.label;

import java.util.regex.Pattern;

/**
 * A tenant: whose mail this is. Limits, suppression lists, hygiene policies and tokens are kept per
 * tenant; mail that names none belongs to {@link #DEFAULT}.
 */
public record Tenant(String name) {

    /** The envelope attribute (and event field) that carries the tenant's name. */
    public static final String ATTRIBUTE = "tenant";
    // before DEFAULT: the constructor of the constant reads it
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** The name of the tenant of mail that names none. */
    public static final String DEFAULT_NAME = "default";
    public static final Tenant DEFAULT = new Tenant(DEFAULT_NAME);

    public Tenant {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad tenant name: " + name
                    + " (1 to 64 letters, digits, '.', '_' or '-')");
        }
    }

    /** {@link #DEFAULT} for a null or blank name; otherwise the checked name. */
    public static Tenant of(String name) {
        return name == null || name.isBlank() ? DEFAULT : new Tenant(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
