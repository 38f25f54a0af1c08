package io.sluice.daemon.ingress.http;

import io.sluice.daemon.config.ApiSettings;
import io.sluice.daemon.config.ApiToken;
import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.HttpAccess;
import io.sluice.daemon.config.SubmissionUser;
import io.sluice.daemon.ingress.KnownPools;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who is calling the API. Tokens are configured as SHA-256 hashes; a presented token is hashed
 * and compared with each in constant time. On a loopback bind a request without a token is the
 * trusted local caller (any configured tenant, the pools of {@code sluice.ingress.pools}) unless
 * {@code sluice.api.require-tokens}, or unsubscribe is enabled (a reverse proxy in front makes every
 * request look local: {@link HttpAccess}); elsewhere it gets 401. A presented token must be valid
 * everywhere.
 */
@Singleton
public final class ApiTokens {

    /** What a caller may do. {@code tenant == null}: any tenant (the local caller). */
    public record Caller(String name, String tenant, Set<String> pools) {
    }

    /** A missing, unknown or expired token: 401. */
    static final class Unauthorized extends Exception {
        Unauthorized(String message) {
            super(message, null, false, false);
        }
    }

    private record Entry(ApiToken token, byte[] hash, Instant expiresAt) {
    }

    private final List<Entry> tokens;
    private final Set<String> tenants;
    private final boolean required;
    private final KnownPools pools;
    private final Clock clock;

    public ApiTokens(List<ApiToken> configured, List<SubmissionUser> users, ApiSettings settings, KnownPools pools,
                     HttpAccess access, Clock clock) {
        this.clock = clock;
        this.pools = pools;
        this.tokens = configured.stream().map(t -> {
            String key = "sluice.api.tokens." + t.name();
            if (t.sha256() == null || !t.sha256().matches("[0-9a-fA-F]{64}")) {
                throw new ConfigException(key + ".sha256", "(hidden)", "64 hex digits: the SHA-256 of the token");
            }
            Instant expires = null;
            if (!t.expiresAt().isBlank()) {
                try {
                    expires = Instant.parse(t.expiresAt());
                } catch (DateTimeParseException e) {
                    throw new ConfigException(key + ".expires-at", t.expiresAt(), "not an RFC 3339 UTC time");
                }
            }
            for (String pool : t.pools()) {
                if (!pool.isBlank() && !pools.contains(pool)) {
                    throw new ConfigException(key + ".pools", pool, "not a known pool " + pools.all()
                            + " (sluice.egress.file pools, sluice.ingress.pools)");
                }
            }
            return new Entry(t, HexFormat.of().parseHex(t.sha256().toLowerCase(Locale.ROOT)), expires);
        }).toList();
        // off loopback or behind the unsubscribe proxy, an address proves nothing (issue 18 item 2)
        this.required = settings.requireTokens() || access.exposed();
        Set<String> all = new java.util.HashSet<>(Set.of("default"));
        configured.forEach(t -> all.add(t.tenant()));
        users.forEach(u -> all.add(u.tenant()));
        this.tenants = Set.copyOf(all);
    }

    /** Tenants a request may name: those of the tokens and submission users, and "default". */
    boolean knownTenant(String tenant) {
        return tenants.contains(tenant);
    }

    boolean knownPool(String pool) {
        return pools.contains(pool);
    }

    Caller authenticate(String authorization) throws Unauthorized {
        if (authorization == null || authorization.isBlank()) {
            if (required) {
                throw new Unauthorized("a bearer token is required (Authorization: Bearer <token>)");
            }
            return new Caller("local", null, pools.all());
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Unauthorized("only the Bearer scheme is accepted");
        }
        byte[] presented = sha256(authorization.substring(7).strip());
        Entry found = null;
        for (Entry e : tokens) {
            if (MessageDigest.isEqual(e.hash(), presented)) {
                found = e;
            }
        }
        if (found == null) {
            throw new Unauthorized("unknown token");
        }
        if (found.expiresAt() != null && !clock.instant().isBefore(found.expiresAt())) {
            throw new Unauthorized("the token expired at " + found.expiresAt());
        }
        return new Caller(found.token().name(), found.token().tenant(),
                Set.copyOf(found.token().pools().stream().filter(p -> !p.isBlank()).toList()));
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
