package io.sluice.daemon.engagement.history;

import java.time.Instant;

/**
 * What one recipient of one tenant last did with tracked mail, as a person: the last human open
 * and the last human click (either null when none is kept). Machine traffic never sets them.
 */
public record RecipientEngagement(String tenant, String recipient, Instant lastOpen, Instant lastClick) {

    /** The later of the two: when the recipient last showed a sign of life. */
    public Instant lastActivity() {
        if (lastOpen == null) {
            return lastClick;
        }
        return lastClick == null || lastOpen.isAfter(lastClick) ? lastOpen : lastClick;
    }

    RecipientEngagement opened(Instant at) {
        return new RecipientEngagement(tenant, recipient, later(lastOpen, at), lastClick);
    }

    RecipientEngagement clicked(Instant at) {
        return new RecipientEngagement(tenant, recipient, lastOpen, later(lastClick, at));
    }

    /** The same with what is older than {@code cutoff} forgotten; null when nothing is left. */
    RecipientEngagement keptAfter(Instant cutoff) {
        Instant o = lastOpen != null && lastOpen.isBefore(cutoff) ? null : lastOpen;
        Instant c = lastClick != null && lastClick.isBefore(cutoff) ? null : lastClick;
        if (o == null && c == null) {
            return null;
        }
        return o == lastOpen && c == lastClick ? this : new RecipientEngagement(tenant, recipient, o, c);
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
