package io.sluice.daemon;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.sluice.daemon.operate.lifecycle.Reloader;
import io.sluice.daemon.operate.lifecycle.SystemdNotifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Starts the daemon: the spool, the SMTP listener, the dispatcher and the HTTP API; tells
 * systemd when it is ready; reloads on SIGHUP; on SIGTERM stops listening, lets the spool and
 * event log flush, and exits 0.
 */
public final class Sluice {
    private static final Logger LOG = LoggerFactory.getLogger(Sluice.class);

    private Sluice() {
    }

    public static void main(String[] args) {
        // Chronicle must not phone home (LIBRARY-NOTES); set before any Chronicle class loads.
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
        SystemdNotifier systemd = SystemdNotifier.fromEnvironment();
        ApplicationContext context = Micronaut.build(args).mainClass(Sluice.class).banner(false).start();
        // The JVM's default for SIGHUP is to exit: a reload must never stop the MTA.
        Signal.handle(new Signal("HUP"), signal -> reload(context, systemd));
        Signal.handle(new Signal("TERM"), signal -> stop(context, systemd));
        systemd.notify("READY=1\nSTATUS=accepting mail\nMAINPID=" + ProcessHandle.current().pid());
    }

    private static void reload(ApplicationContext context, SystemdNotifier systemd) {
        systemd.notify("RELOADING=1");
        context.getBean(Reloader.class).reloadAll();
        systemd.notify("READY=1\nSTATUS=accepting mail");
    }

    /** Beans close in reverse order of creation: listeners stop before the spool is closed. */
    private static void stop(ApplicationContext context, SystemdNotifier systemd) {
        LOG.info("SIGTERM: stopping");
        systemd.notify("STOPPING=1\nSTATUS=stopping");
        int status = 0;
        try {
            // new sessions and MAIL get 421 4.3.2; open transactions finish (sluice.shutdown.grace)
            context.findBean(io.sluice.daemon.ingress.smtp.SmtpDrain.class).ifPresent(drain -> drain.drain());
            context.close();
        } catch (Throwable e) {
            // whatever went wrong, the process must still end: a SIGTERM that leaves the JVM
            // running would hang systemd until TimeoutStopSec (seen when a jar was replaced
            // under a running daemon and class loading failed mid-close)
            LOG.error("error while stopping", e);
            status = 1;
        } finally {
            systemd.close();
            System.exit(status);
        }
    }
}
