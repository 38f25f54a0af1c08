package io.sluice.daemon.operate.lifecycle;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Reloads every {@link Reloadable} in the daemon, each on its own: one that fails keeps its old
 * state and does not stop the others.
 */
@Singleton
public final class Reloader {
    private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);

    /** What happened to one reloadable. */
    public record Result(String name, boolean ok, String problem) {
    }

    private final List<Reloadable> reloadables;

    public Reloader(List<Reloadable> reloadables) {
        this.reloadables = List.copyOf(reloadables);
    }

    public synchronized List<Result> reloadAll() {
        List<Result> results = new ArrayList<>();
        for (Reloadable r : reloadables) {
            try {
                r.reload();
                results.add(new Result(r.reloadName(), true, null));
                LOG.info("reloaded {}", r.reloadName());
            } catch (RuntimeException e) {
                results.add(new Result(r.reloadName(), false, e.getMessage()));
                LOG.error("reload of {} failed, previous state kept: {}", r.reloadName(), e.getMessage());
            }
        }
        return results;
    }
}
