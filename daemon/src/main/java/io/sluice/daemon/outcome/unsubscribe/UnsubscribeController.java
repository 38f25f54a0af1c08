package io.sluice.daemon.outcome.unsubscribe;

import io.sluice.daemon.outcome.tokens.UnsubscribeTokens;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.core.annotation.Nullable;
import io.sluice.daemon.operate.events.Event;
import io.sluice.daemon.operate.events.EventLog;
import io.sluice.daemon.outcome.feedback.HygienePolicy;
import io.sluice.daemon.outcome.suppression.SuppressionReason;
import io.sluice.daemon.outcome.suppression.SuppressionStore;
import io.sluice.daemon.outcome.tokens.ReturnPaths;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * One-click unsubscribe (RFC 8058): {@code POST /u/{token}} with the body
 * {@code List-Unsubscribe=One-Click} suppresses the address (reason unsubscribe) and answers 200
 * at once — no login, no second step, since mailbox providers make this POST themselves.
 * {@code GET /u/{token}} (a person who clicked the link) shows a page with one button that makes
 * the same POST: a GET alone never unsubscribes, because link scanners fetch every URL in a mail.
 * A malformed or forged token gets 404 and changes nothing.
 */
@Controller("/u")
public final class UnsubscribeController {
    private final ReturnPaths returnPaths;
    private final HygienePolicy hygiene;
    private final EventLog events;
    private final Clock clock;

    public UnsubscribeController(ReturnPaths returnPaths, HygienePolicy hygiene, EventLog events, Clock clock) {
        this.returnPaths = returnPaths;
        this.hygiene = hygiene;
        this.events = events;
        this.clock = clock;
    }

    @Get("/{token}")
    @Produces(MediaType.TEXT_HTML)
    public HttpResponse<String> page(@PathVariable String token) {
        Optional<UnsubscribeTokens.Request> r = UnsubscribeTokens.verify(returnPaths.signer(), token);
        if (r.isEmpty()) {
            return HttpResponse.<String>status(HttpStatus.NOT_FOUND).body(html("Unknown link",
                    "<p>This unsubscribe link is not valid.</p>"));
        }
        return HttpResponse.ok(html("Unsubscribe", "<p>Stop sending mail to <b>" + escape(r.get().address())
                + "</b>?</p><form method=\"post\" action=\"/u/" + escape(token) + "\">"
                + "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                + "<button type=\"submit\">Unsubscribe</button></form>"));
    }

    @Post(value = "/{token}", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.TEXT_PLAIN,
            MediaType.MULTIPART_FORM_DATA, MediaType.ALL})
    @Produces(MediaType.TEXT_HTML)
    public HttpResponse<String> oneClick(@PathVariable String token, @Nullable @Body String body) {
        Optional<UnsubscribeTokens.Request> r = UnsubscribeTokens.verify(returnPaths.signer(), token);
        if (r.isEmpty()) {
            return HttpResponse.<String>status(HttpStatus.NOT_FOUND).body(html("Unknown link",
                    "<p>This unsubscribe link is not valid.</p>"));
        }
        String decoded = body == null ? "" : URLDecoder.decode(body, StandardCharsets.UTF_8);
        if (!decoded.contains("List-Unsubscribe=One-Click")) {
            return HttpResponse.<String>status(HttpStatus.BAD_REQUEST).body(html("Unsubscribe",
                    "<p>Expected the body List-Unsubscribe=One-Click (RFC 8058).</p>"));
        }
        UnsubscribeTokens.Request req = r.get();
        try {
            hygiene.unsubscribed(req.tenant(), req.address(), "unsubscribe", "one-click");
        } catch (SuppressionStore.DiskFull e) {
            // issue 18 item 12: not recorded, so not claimed; the receiver (or the person) tries again
            return HttpResponse.<String>status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "60")
                    .body(html("Unsubscribe", "<p>We could not record this just now. Please try again in a minute.</p>"));
        }
        events.publish(Event.feedback("Unsubscribe", clock.instant(), null, null, req.address(), req.tenant(),
                "suppressed", SuppressionReason.UNSUBSCRIBE.label(), "one-click", null, null, null));
        return HttpResponse.ok(html("Unsubscribed", "<p>" + escape(req.address()) + " will get no more mail from this sender.</p>"));
    }

    private static String html(String title, String body) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body>"
                + body + "</body></html>";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
