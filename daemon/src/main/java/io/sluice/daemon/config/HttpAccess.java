package io.sluice.daemon.config;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Who the HTTP listener may trust by address alone (issue 18 item 2). A listener bound off
 * loopback, or serving one-click unsubscribe (which needs a public {@code https://} URL, hence a
 * reverse proxy whose requests all come from loopback), cannot tell local callers from the
 * internet: then the injection API and {@code /admin} demand tokens, and the daemon does not start
 * without them ({@code bin/sluice check-config} names the missing key).
 *
 * <p>The admin token is kept only as its SHA-256 ({@code sluice.admin.token-sha256}, or the hash
 * of {@code sluice.admin.token}), so a presented token is compared hash to hash, in constant time
 * and without its length showing.
 */
@Singleton
public final class HttpAccess {
    private final boolean exposed;
    private final String why;
    private final byte[] adminTokenHash;
    private final boolean metricsRequireToken;

    public HttpAccess(@Value("${micronaut.server.host:127.0.0.1}") String host,
                      @Nullable @Value("${sluice.admin.token:}") String adminToken,
                      @Nullable @Value("${sluice.admin.token-sha256:}") String adminTokenSha256,
                      @Value("${sluice.metrics.require-token:false}") boolean metricsRequireToken,
                      List<ApiToken> apiTokens, FeedbackSettings feedback) {
        boolean plain = adminToken != null && !adminToken.isBlank();
        boolean hashed = adminTokenSha256 != null && !adminTokenSha256.isBlank();
        if (plain && hashed) {
            throw new ConfigException("sluice.admin.token-sha256", "(hidden)", "set it or sluice.admin.token, not both");
        }
        if (hashed && !adminTokenSha256.strip().matches("[0-9a-fA-F]{64}")) {
            throw new ConfigException("sluice.admin.token-sha256", "(hidden)", "64 hex digits: the SHA-256 of the token");
        }
        this.adminTokenHash = plain ? sha256(adminToken.strip())
                : hashed ? HexFormat.of().parseHex(adminTokenSha256.strip().toLowerCase(Locale.ROOT)) : null;
        boolean unsubscribe = feedback.knownTenants().stream().anyMatch(t -> feedback.policy(t).unsubscribe());
        this.exposed = !loopback(host) || unsubscribe;
        this.why = !loopback(host) ? "micronaut.server.host (" + host + ") is not a loopback address"
                : "unsubscribe is enabled (its public URL means a proxy in front: every request looks local)";
        this.metricsRequireToken = metricsRequireToken;
        if (exposed && adminTokenHash == null) {
            throw new ConfigException("sluice.admin.token", "", "needed because " + why
                    + "; set sluice.admin.token or sluice.admin.token-sha256");
        }
        if (exposed && apiTokens.isEmpty()) {
            throw new ConfigException("sluice.api.tokens", "", "at least one API token is needed because " + why
                    + "; set sluice.api.tokens.<name>.sha256");
        }
        if (metricsRequireToken && adminTokenHash == null) {
            throw new ConfigException("sluice.metrics.require-token", "true",
                    "needs the admin token (sluice.admin.token or sluice.admin.token-sha256)");
        }
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Whether callers cannot be told apart by address: tokens are demanded everywhere. */
    public boolean exposed() {
        return exposed;
    }

    /** The SHA-256 of the admin token, or null when none is set (then /admin is loopback-only). */
    public byte[] adminTokenHash() {
        return adminTokenHash == null ? null : adminTokenHash.clone();
    }

    /** Whether {@code /prometheus} demands the admin token. */
    public boolean metricsRequireToken() {
        return metricsRequireToken;
    }

    /** Whether a presented bearer token is the admin token: hash to hash, in constant time. */
    public boolean isAdminToken(String presented) {
        return adminTokenHash != null && presented != null
                && MessageDigest.isEqual(adminTokenHash, sha256(presented.strip()));
    }

    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JRE has SHA-256
        }
    }
}
