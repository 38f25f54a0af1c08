package io.sluice.daemon.ingress.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * The 202 body: how many recipients were queued, which were not and why, and the ids of the
 * spooled messages (one per recipient when each got its own message, else one per batch).
 */
@Serdeable
public record InjectionResult(@JsonProperty("success_count") int successCount,
                              @JsonProperty("fail_count") int failCount,
                              @JsonProperty("failed_recipients") List<FailedRecipient> failedRecipients,
                              List<String> ids) {

    @Serdeable
    public record FailedRecipient(String email, String reason) {
    }
}
