package io.sluice.daemon.operate.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;
import io.sluice.protocol.smtp.SmtpReply;

/** A reply as it appears in an event: the joined text of a multiline reply. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Response(int code, @JsonProperty("enhanced_code") String enhancedCode, String text) {
    public static Response of(SmtpReply reply) {
        return reply == null ? null : new Response(reply.code(), reply.enhancedCode(), reply.text());
    }
}
