package io.sluice.daemon.config;

/** Micronaut environments the daemon starts in besides the default one. */
public final class Environments {

    /**
     * {@code bin/sluice check-config}: the configuration is bound and validated, but no beans that
     * open listeners, files or the spool are created ({@code @Requires(notEnv = CHECK_CONFIG)}).
     */
    public static final String CHECK_CONFIG = "check-config";

    private Environments() {}
}
