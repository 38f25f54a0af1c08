package io.sluice.daemon.egress.tls.sts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MTA-STS policies on disk, one file per domain under the spool directory ({@code mta-sts/}), so
 * a restart keeps every policy until its {@code max_age}: an attacker who blocks the policy host
 * after a restart finds the enforced policy still in force (RFC 8461 §10.2). Files are replaced
 * whole (written aside, then renamed). A file that cannot be read is logged and treated as absent.
 * Thread-safe.
 *
 * <p>File format: {@code sluice-mta-sts 1}, {@code id: ...}, {@code fetched: EPOCH-SECONDS}, a blank
 * line, then the policy exactly as fetched.
 */
public final class StsPolicyCache {
    private static final Logger LOG = LoggerFactory.getLogger(StsPolicyCache.class);
    private static final String MAGIC = "sluice-mta-sts 1";

    private final Path dir;
    private final ConcurrentHashMap<String, Optional<CachedPolicy>> memory = new ConcurrentHashMap<>();

    public StsPolicyCache(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** The policy kept for {@code domain}, valid or not. */
    public Optional<CachedPolicy> get(String domain) {
        return memory.computeIfAbsent(domain, this::load);
    }

    /** Keeps {@code policy} for {@code domain}, on disk before in memory. */
    public void put(String domain, CachedPolicy policy) throws IOException {
        Files.createDirectories(dir);
        Path file = file(domain);
        Path aside = dir.resolve("." + domain + ".tmp");
        String text = MAGIC + "\nid: " + policy.id() + "\nfetched: " + policy.fetched().getEpochSecond() + "\n\n"
                + policy.policy().text();
        Files.writeString(aside, text, StandardCharsets.UTF_8);
        Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        memory.put(domain, Optional.of(policy));
    }

    private Optional<CachedPolicy> load(String domain) {
        Path file = file(domain);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int blank = text.indexOf("\n\n");
            if (!text.startsWith(MAGIC + "\n") || blank < 0) {
                throw new IOException("not a policy file of this version");
            }
            String id = null;
            Instant fetched = null;
            for (String line : text.substring(0, blank).split("\n")) {
                if (line.startsWith("id: ")) {
                    id = line.substring(4).strip();
                } else if (line.startsWith("fetched: ")) {
                    fetched = Instant.ofEpochSecond(Long.parseLong(line.substring(9).strip()));
                }
            }
            if (id == null || fetched == null) {
                throw new IOException("id or fetched time missing");
            }
            return Optional.of(new CachedPolicy(StsPolicy.parse(text.substring(blank + 2)), id, fetched));
        } catch (IOException | RuntimeException e) {
            LOG.warn("MTA-STS policy file {} cannot be read ({}); treated as absent", file, e.getMessage());
            return Optional.empty();
        }
    }

    private Path file(String domain) {
        // domains come from validated recipient addresses; refuse anything that could leave the directory
        if (!domain.matches("[a-z0-9][a-z0-9.-]*") || domain.contains("..")) {
            throw new IllegalArgumentException("not a domain name for the policy cache: " + domain);
        }
        return dir.resolve(domain);
    }
}
