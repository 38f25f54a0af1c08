package io.sluice.daemon.http.access;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublicPathsTest {
    @Test
    void onlyUnsubscribeAndTrackingPathsArePublic() {
        assertTrue(PublicPaths.isPublic("/u/abc.def"));
        assertTrue(PublicPaths.isPublic("/t/o/abc"));
        assertTrue(PublicPaths.isPublic("/t/c/abc"));
        for (String p : new String[] {"/u", "/u/", "/ux/abc", "/admin/queues", "/api/v1/inject", "/prometheus",
                "/health", "/status", "/t/x/abc", "/u/../admin/queues", "/t/o/..\\admin", "", "/"}) {
            assertFalse(PublicPaths.isPublic(p), p);
        }
    }
}
