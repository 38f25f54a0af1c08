package io.sluice.daemon.engagement;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.sluice.daemon.engagement.history.EngagementStore;
import io.sluice.daemon.engagement.history.RecipientEngagement;
import io.sluice.daemon.operate.events.Event;
import io.sluice.daemon.operate.events.EventLog;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The tracking endpoints: {@code GET /t/o/{token}} answers a 1x1 transparent GIF and logs an
 * {@code Open}; {@code GET /t/c/{token}} redirects (302) to the URL the token carries and logs a
 * {@code Click}. HEAD is answered the same way (Micronaut routes it to the GET handler), logged as
 * machine traffic. A forged, tampered or
 * malformed token gets 404 and logs nothing. No user agent or IP is stored: only the user agent's
 * class and, for machine traffic, the rule that flagged it ({@link Fetcher}); the client's address
 * ({@link TrustedProxies}: behind a trusted proxy, from X-Forwarded-For) is only compared with
 * Apple's egress ranges. A click's event waits in {@link ClickHold} for the "several links at
 * once" rule; the redirect does not. The event names the recipient's address and last human open
 * and click when its delivery is known ({@link EngagementStore}).
 */
@Controller("/t")
public final class TrackingController {
    /** The smallest transparent GIF (1x1, 43 octets). */
    private static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final TrackingTokens tokens;
    private final TrackingSettings settings;
    private final EventLog events;
    private final Clock clock;
    private final TrustedProxies proxies;
    private final AppleEgressRanges apple;
    private final ClickHold clicks;
    private final EngagementStore engagement;

    public TrackingController(TrackingTokens tokens, TrackingSettings settings, EventLog events, Clock clock,
                              TrustedProxies proxies, AppleEgressRanges apple, ClickHold clicks,
                              EngagementStore engagement) {
        this.tokens = tokens;
        this.settings = settings;
        this.events = events;
        this.clock = clock;
        this.proxies = proxies;
        this.apple = apple;
        this.clicks = clicks;
        this.engagement = engagement;
    }

    @Get("/o/{token}")
    public HttpResponse<byte[]> open(@PathVariable String token, HttpRequest<?> request) {
        return pixel(token, request);
    }

    @Get("/c/{token}")
    public HttpResponse<String> click(@PathVariable String token, HttpRequest<?> request) {
        return redirect(token, request);
    }

    private HttpResponse<byte[]> pixel(String token, HttpRequest<?> request) {
        Optional<TrackingTokens.Hit> hit = tokens.verify(TrackingTokens.Kind.OPEN, token);
        if (hit.isEmpty()) {
            return HttpResponse.status(HttpStatus.NOT_FOUND);
        }
        log("Open", hit.get(), request);
        return noStore(HttpResponse.ok(PIXEL).contentType("image/gif"));
    }

    private HttpResponse<String> redirect(String token, HttpRequest<?> request) {
        Optional<TrackingTokens.Hit> hit = tokens.verify(TrackingTokens.Kind.CLICK, token);
        URI target = hit.map(h -> uri(h.url())).orElse(null);
        if (target == null) {
            return HttpResponse.status(HttpStatus.NOT_FOUND);
        }
        log("Click", hit.get(), request);
        return noStore(HttpResponse.<String>status(HttpStatus.FOUND).header("Location", target.toString())
                .header("Referrer-Policy", "no-referrer"));
    }

    /* Only http(s) targets, as the rewriter only ever signs those. */
    private static @Nullable URI uri(String url) {
        try {
            URI u = URI.create(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
            return scheme.equals("http") || scheme.equals("https") ? u : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void log(String type, TrackingTokens.Hit hit, HttpRequest<?> request) {
        Instant now = clock.instant();
        boolean click = hit.kind() == TrackingTokens.Kind.CLICK;
        // only opens are matched against Apple's ranges: Private Relay also carries people's clicks
        boolean appleEgress = !click && apple.contains(proxies.client(request));
        Fetcher f = Fetcher.of(request.getMethodName(), request.getHeaders().get("User-Agent"), appleEgress, click,
                hit.sentAt(), now, settings.scannerWindow());
        if (click) {
            clicks.click(hit, f, now);
        } else {
            events.publish(event(type, hit, f, now, engagement));
        }
    }

    /**
     * The {@code Open} or {@code Click} event of a fetch, once its verdict is final (a click's after
     * its hold): a human one moves the recipient's last open or click on (issue 20 item 3), and the
     * event tells the sender where the recipient stands.
     */
    static Event event(String type, TrackingTokens.Hit hit, Fetcher f, Instant at, EngagementStore engagement) {
        boolean click = hit.kind() == TrackingTokens.Kind.CLICK;
        Event e = Event.feedback(type, at, hit.messageId(), hit.recipientIndex(), null, hit.tenant(),
                f.machine() ? "machine" : "human", f.machineRule(), f.userAgentClass(),
                click ? "link " + hit.link() : null, null, null);
        Optional<RecipientEngagement> r = engagement.hit(hit.messageId(), hit.recipientIndex(), click, !f.machine(), at);
        return e.withEngagement(r.map(RecipientEngagement::recipient).orElse(null), hit.campaign(),
                r.map(RecipientEngagement::lastOpen).orElse(null), r.map(RecipientEngagement::lastClick).orElse(null));
    }

    private static <T> MutableHttpResponse<T> noStore(MutableHttpResponse<T> r) {
        return r.header("Cache-Control", "no-store, max-age=0");
    }
}
