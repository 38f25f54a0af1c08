package io.sluice.daemon.egress.route;

/**
 * What a delivery is routed by: its recipient domain, or, when a smarthost takes everything, the
 * smarthost. One DNS lookup (and one cached route) per destination. Its {@link #key()} is the
 * {@code site} field of delivery events (a public name kept from before the two were told apart).
 */
public record Destination(String key) {

    /** Everything goes to {@code sluice.smarthost}. */
    public static final Destination SMARTHOST = new Destination("[smarthost]");

    public Destination {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a destination needs a domain");
        }
    }

    /** The recipient domain as a destination. */
    public static Destination domain(String domain) {
        return new Destination(domain);
    }

    public boolean isSmarthost() {
        return this.equals(SMARTHOST);
    }

    @Override
    public String toString() {
        return key;
    }
}
