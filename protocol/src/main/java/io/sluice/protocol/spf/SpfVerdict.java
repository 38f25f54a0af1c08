package io.sluice.protocol.spf;

import java.util.Objects;

/**
 * What check_host() decided and why, in words an operator can act on: the matching term
 * ({@code "-all"}, {@code "ip4:192.0.2.0/24 in include:_spf.example.com"}) or the error
 * ({@code "more than 10 DNS-querying terms"}).
 *
 * @param lookups the DNS-querying terms evaluated (RFC 7208 §4.6.4 allows 10)
 */
public record SpfVerdict(SpfResult result, String reason, int lookups) {
    public SpfVerdict {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(reason, "reason");
    }
}
