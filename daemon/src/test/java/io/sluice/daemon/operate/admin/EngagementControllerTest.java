package io.sluice.daemon.operate.admin;

import io.micronaut.http.HttpResponse;
import io.sluice.daemon.TestClock;
import io.sluice.daemon.config.EngagementSettings;
import io.sluice.daemon.engagement.history.EngagementStore;
import io.sluice.daemon.engagement.history.TrackedDelivery;
import io.sluice.daemon.http.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /admin/engagement}: the answers' shape, and a precise 400 for each bad parameter. */
class EngagementControllerTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path spool;

    @Test
    void aRecipientsLastOpenAndClickAndTheListing() {
        try (EngagementStore store = new EngagementStore(spool, EngagementSettings.defaults(), new TestClock(T0), null)) {
            store.delivered(new TrackedDelivery("m1", 0, "shop", "spring", "reader@dest.test", T0));
            store.hit("m1", 0, false, true, T0.plusSeconds(60));
            EngagementController c = new EngagementController(store);

            HttpResponse<?> one = c.lookup("shop", "Reader@dest.test");
            assertEquals(200, one.code());
            assertEquals(new EngagementController.View("shop", "reader@dest.test", true, "2026-03-02T10:01:00Z", null,
                    "2026-03-02T10:01:00Z"), one.body());

            HttpResponse<?> none = c.lookup(null, "reader@dest.test");
            assertEquals(404, none.code(), "per tenant: not engaged as tenant default");
            assertEquals(new EngagementController.View("default", "reader@dest.test", false, null, null, null),
                    none.body());

            HttpResponse<?> page = c.list("shop", "2026-03-01T00:00:00Z", null, null, 10);
            assertEquals(200, page.code());
            EngagementController.Page p = (EngagementController.Page) page.body();
            assertEquals(1, p.recipients().size());
            assertNull(p.next());
        }
    }

    @Test
    void eachBadParameterGetsA400NamingIt() {
        try (EngagementStore store = new EngagementStore(spool, EngagementSettings.defaults(), new TestClock(T0), null)) {
            EngagementController c = new EngagementController(store);
            assertBad(c.lookup("no tenant!", "a@b.test"), "tenant");
            assertBad(c.lookup("shop", null), "recipient");
            assertBad(c.list("shop", "yesterday", null, null, 10), "since");
            assertBad(c.list("shop", null, "2026-13-01", null, 10), "before");
            assertBad(c.list("shop", null, null, null, 0), "limit");
            assertBad(c.list("shop", null, null, null, EngagementController.MAX_LIMIT + 1), "limit");
        }
    }

    private static void assertBad(HttpResponse<?> r, String param) {
        assertEquals(400, r.code());
        String detail = ((Problem) r.body()).detail();
        assertTrue(detail.startsWith(param + ":"), detail);
    }
}
