package io.sluice.daemon;

import io.micronaut.runtime.Micronaut;

/** Starts the daemon: the spool, the SMTP listener, the dispatcher and the HTTP API. */
public final class Sluice {
    private Sluice() {
    }

    public static void main(String[] args) {
        // Chronicle must not phone home (LIBRARY-NOTES); set before any Chronicle class loads.
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
        Micronaut.build(args).mainClass(Sluice.class).banner(false).start();
    }
}
