package io.sluice.queue;

import java.time.Instant;
import java.util.Objects;

/** What happened to one delivery. Final outcomes end the delivery; {@link Deferred} schedules a retry. */
public sealed interface Outcome {
    Instant at();

    boolean isFinal();

    record Delivered(Instant at) implements Outcome {
        public Delivered { Objects.requireNonNull(at, "at"); }
        @Override public boolean isFinal() { return true; }
    }

    record Bounced(Instant at, String reason) implements Outcome {
        public Bounced { Objects.requireNonNull(at, "at"); reason = reason == null ? "" : reason; }
        @Override public boolean isFinal() { return true; }
    }

    record Expired(Instant at) implements Outcome {
        public Expired { Objects.requireNonNull(at, "at"); }
        @Override public boolean isFinal() { return true; }
    }

    record Removed(Instant at, String by) implements Outcome {
        public Removed { Objects.requireNonNull(at, "at"); by = by == null ? "" : by; }
        @Override public boolean isFinal() { return true; }
    }

    record Deferred(Instant at, int attempts, Instant nextAttempt, String reason) implements Outcome {
        public Deferred {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(nextAttempt, "nextAttempt");
            reason = reason == null ? "" : reason;
        }
        @Override public boolean isFinal() { return false; }
    }
}
