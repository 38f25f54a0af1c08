package io.sluice.daemon.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * An RFC 9457 problem detail, sent as {@code application/problem+json}. {@code type} is a
 * relative URI naming the problem; docs/api.md lists them.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail,
                      @JsonProperty("invalid_params") List<InvalidParam> invalidParams) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem invalidRequest(String detail, List<InvalidParam> params) {
        return new Problem("/problems/invalid-request", "Invalid request", 400, detail, params);
    }

    /** A problem with no type of its own ({@code about:blank}: the status says it all, RFC 9457 §4.2.1). */
    public static Problem of(HttpStatus status, String detail) {
        return new Problem("about:blank", status.getReason(), status.getCode(), detail == null ? "" : detail, null);
    }

    /** The response carrying this problem, with its status and media type. */
    public MutableHttpResponse<Problem> response() {
        return HttpResponse.<Problem>status(HttpStatus.valueOf(status)).contentType(MEDIA_TYPE).body(this);
    }
}
