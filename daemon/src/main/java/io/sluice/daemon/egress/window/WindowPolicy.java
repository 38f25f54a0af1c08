package io.sluice.daemon.egress.window;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which window a delivery keeps, and when it next opens. A message's own window (envelope
 * attribute {@value #WINDOW_ATTRIBUTE}, from {@code send_window} or {@code X-Sluice-Window}) wins,
 * then its campaign's ({@code sluice.campaigns.<name>.send-window}), then its tenant's
 * ({@code sluice.tenants.<name>.send-window}). A window that follows the recipient reads the
 * recipient's zone from attribute {@value #ZONE_ATTRIBUTE} (given through the API), UTC when
 * there is none. The attributes live in the spool record, so a window survives a restart.
 * Thread-safe.
 */
public final class WindowPolicy {
    public static final String WINDOW_ATTRIBUTE = "send_window";
    public static final String ZONE_ATTRIBUTE = "recipient_zone";
    /** No configured windows: only a message's own window counts. */
    public static final WindowPolicy NONE = new WindowPolicy(Map.of(), Map.of());

    private static final Logger LOG = LoggerFactory.getLogger(WindowPolicy.class);
    private static final int CACHED = 1024;

    private final Map<String, DeliveryWindow> tenants;
    private final Map<String, DeliveryWindow> campaigns;
    /* parsed message windows: many messages of a mailing carry the same text */
    private final Map<String, DeliveryWindow> parsed = new ConcurrentHashMap<>();

    public WindowPolicy(Map<String, DeliveryWindow> tenants, Map<String, DeliveryWindow> campaigns) {
        this.tenants = Map.copyOf(tenants);
        this.campaigns = Map.copyOf(campaigns);
    }

    /** The configured window of a campaign, else of a tenant (either may be null), else null. */
    public DeliveryWindow configured(String tenant, String campaign) {
        DeliveryWindow w = campaign == null ? null : campaigns.get(campaign);
        if (w == null && tenant != null) {
            w = tenants.get(tenant);
        }
        return w;
    }

    /** The window a delivery with these attributes keeps, or null for none. */
    public DeliveryWindow windowOf(Map<String, String> attributes) {
        String own = attributes.get(WINDOW_ATTRIBUTE);
        if (own != null) {
            DeliveryWindow w = parsed.get(own);
            if (w == null) {
                try {
                    w = DeliveryWindow.parse(own);
                } catch (WindowSyntaxException e) {
                    // checked at injection; a record edited by hand must not keep mail back for ever
                    LOG.warn("ignoring unusable stored window \"{}\": {}", own, e.getMessage());
                    return configured(attributes.get("tenant"), attributes.get("campaign"));
                }
                if (parsed.size() < CACHED) {
                    parsed.put(own, w);
                }
            }
            return w;
        }
        return configured(attributes.get("tenant"), attributes.get("campaign"));
    }

    /**
     * When a delivery with these attributes may next go out: {@code now} when its window is open
     * or it has none, else the window's next opening.
     */
    public Instant opening(Map<String, String> attributes, Instant now) {
        DeliveryWindow w = windowOf(attributes);
        if (w == null) {
            return now;
        }
        Instant at = w.nextOpening(now, recipientZone(attributes));
        return at == null ? now : at;
    }

    private static ZoneId recipientZone(Map<String, String> attributes) {
        String z = attributes.get(ZONE_ATTRIBUTE);
        if (z == null) {
            return ZoneOffset.UTC;
        }
        try {
            return DeliveryWindow.zone(z);
        } catch (WindowSyntaxException e) {
            return ZoneOffset.UTC;
        }
    }
}
