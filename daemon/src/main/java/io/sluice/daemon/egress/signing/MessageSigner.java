package io.sluice.daemon.egress.signing;

import io.sluice.daemon.label.SendingDomains;
import io.sluice.daemon.label.Tenant;
import io.sluice.dkim.BodyHasher;
import io.sluice.dkim.Canonicalization;
import io.sluice.queue.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * DKIM for the daemon: body hashes at ingress ({@link #withBodyHashes}), signatures at dispatch
 * ({@link #signatures}). Thread-safe. Keys are read once when built and again on {@link #reload()}.
 */
public final class MessageSigner implements io.sluice.daemon.operate.lifecycle.Reloadable {
    private static final Logger LOG = LoggerFactory.getLogger(MessageSigner.class);

    /** Envelope attribute holding the base64 body hash for one body canonicalization. */
    public static final String BODY_HASH_ATTRIBUTE = "dkim.bh.";
    /**
     * Envelope attribute set at ingress when the tenant's mail is to go without an author-domain
     * signature (its MAIL FROM or From lies outside its domains and its mode is {@code unsigned});
     * the value says why. Set by ingress only: labels and requests cannot name it.
     */
    public static final String UNSIGNED_ATTRIBUTE = "dkim.unsigned";

    /** Deliveries of one message share its signatures for this long (t= stays near the send time). */
    static final Duration REUSE_FOR = Duration.ofMinutes(5);
    private static final int CACHE_ENTRIES = 1024;
    private static final byte[] NONE = new byte[0];

    private record Cached(SigningKeys keys, Instant signedAt, byte[] fields) {
    }

    private final DkimSettings settings;
    private final SendingDomains domains;
    private volatile SigningKeys keys;
    private final Map<String, Cached> recent = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    /** Loads every configured key; no tenant declares domains (tests, tools). */
    public MessageSigner(DkimSettings settings) {
        this(settings, SendingDomains.undeclared(authorDomains(settings)));
    }

    /**
     * Loads every configured key; a key that cannot be used is a ConfigException naming it.
     *
     * @param domains which tenant may be signed for which author domain (issue 18 item 3)
     */
    public MessageSigner(DkimSettings settings, SendingDomains domains) {
        this.settings = settings;
        this.domains = domains;
        this.keys = SigningKeys.load(settings);
        describe(keys);
    }

    public boolean enabled() {
        return !keys.isEmpty();
    }

    /** The configured author domains (those of {@code sluice.dkim.domains}). */
    public static Set<String> authorDomains(DkimSettings settings) {
        Set<String> out = new TreeSet<>();
        settings.signers().stream().filter(s -> s.role() == DkimSettings.Role.AUTHOR).forEach(s -> out.add(s.domain()));
        return out;
    }

    /** The tenant-domain binding this signer honours. */
    public SendingDomains sendingDomains() {
        return domains;
    }

    /**
     * The domain of the first address in the first {@code From:} field of a CRLF message,
     * lower-case A-labels, as the signer reads it; null when there is none.
     */
    public static String authorDomain(byte[] message) {
        return MessageParts.of(message).authorDomain(message);
    }

    /**
     * The d= domains of the signatures a message of {@code tenant} with this From domain would
     * get (author keys the tenant may use, then the extra signatures their policy allows).
     */
    public List<String> signingDomainsFor(String tenant, String authorDomain) {
        String author = authorDomain != null && domains.mayUse(tenant, authorDomain) ? authorDomain : null;
        return keys.signersFor(author).stream().map(l -> l.signer().identity().domain()).distinct().toList();
    }

    /**
     * The d= of each signature a message of {@code tenant} with this From domain would get that
     * does not over-sign {@code field} (RFC 6376 §8.15) when the header section carries it {@code
     * present} times: the default h= selection over-signs List-*, Feedback-ID and the core fields
     * whenever they are present; a configured {@code headers} list must name the field once more
     * than it occurs.
     */
    public List<String> notOverSigning(String tenant, String authorDomain, String field, int present) {
        String author = authorDomain != null && domains.mayUse(tenant, authorDomain) ? authorDomain : null;
        List<String> out = new java.util.ArrayList<>();
        for (SigningKeys.Loaded l : keys.signersFor(author)) {
            List<String> h = l.signer().identity().signedHeaders();
            long listed = h.stream().filter(field::equalsIgnoreCase).count();
            if (!h.isEmpty() && listed <= present) {
                out.add(l.signer().identity().domain());
            }
        }
        return out;
    }

    /**
     * Re-reads every key file (after an operator rotated keys). All or nothing: if any key cannot
     * be loaded the ConfigException is thrown and the keys in use stay in use.
     */
    @Override
    public String reloadName() {
        return "dkim keys";
    }

    @Override
    public void reload() {
        SigningKeys fresh = SigningKeys.load(settings);
        keys = fresh;
        synchronized (recent) {
            recent.clear();
        }
        describe(fresh);
    }

    /**
     * The envelope with a body hash attribute per body canonicalization in use ("hash early"):
     * one streaming pass over the body for each. The same envelope when DKIM is off.
     */
    public Envelope withBodyHashes(Envelope envelope, byte[] message) {
        SigningKeys k = keys;
        if (k.isEmpty()) {
            return envelope;
        }
        MessageParts parts = MessageParts.of(message);
        Map<String, String> attributes = new HashMap<>(envelope.attributes());
        for (Canonicalization c : k.bodyCanons()) {
            attributes.put(BODY_HASH_ATTRIBUTE + c.tag(), Base64.getEncoder().encodeToString(hash(message, parts, c)));
        }
        return new Envelope(envelope.sender(), envelope.recipients(), envelope.receivedAt(), attributes);
    }

    /**
     * The DKIM-Signature fields to send before {@code message} ("sign late"): empty when DKIM is
     * off or no signer applies. Uses the body hashes stored at ingress, hashing the body only for
     * mail spooled before DKIM was configured. Deliveries of the same message within {@link
     * #REUSE_FOR} share one set of signatures: the header section they cover is the same.
     *
     * @param messageId the spool's message id (the cache key)
     */
    public byte[] signatures(String messageId, byte[] message, Map<String, String> attributes, Instant now) {
        return signatures(messageId, message, attributes, now, NONE);
    }

    /**
     * As above, with per-delivery header fields (VERP trace, List-Unsubscribe) that go out before
     * {@code message} and are signed as part of its header section. Such signatures are made per
     * delivery, not shared through the cache.
     */
    public byte[] signatures(String messageId, byte[] message, Map<String, String> attributes, Instant now,
                             byte[] extraHeaders) {
        SigningKeys k = keys;
        if (k.isEmpty()) {
            return NONE;
        }
        if (extraHeaders != null && extraHeaders.length > 0) {
            try {
                return sign(k, domains, message, attributes, now, extraHeaders);
            } catch (RuntimeException e) {
                LOG.warn("message {} sent without DKIM signature: {}", messageId, e.toString());
                return NONE;
            }
        }
        synchronized (recent) {
            Cached c = recent.get(messageId);
            if (c != null && c.keys() == k && c.signedAt().plus(REUSE_FOR).isAfter(now)) {
                return c.fields();
            }
        }
        byte[] fields;
        try {
            fields = sign(k, domains, message, attributes, now, NONE);
        } catch (RuntimeException e) {
            // headers the signer cannot parse: unsigned mail is better than no mail
            LOG.warn("message {} sent without DKIM signature: {}", messageId, e.toString());
            fields = NONE;
        }
        synchronized (recent) {
            recent.put(messageId, new Cached(k, now, fields));
        }
        return fields;
    }

    private static byte[] sign(SigningKeys k, SendingDomains domains, byte[] message, Map<String, String> attributes,
                               Instant now, byte[] extraHeaders) {
        MessageParts parts = MessageParts.of(message);
        String author = parts.authorDomain(message);
        String tenant = attributes == null ? null : attributes.get(Tenant.ATTRIBUTE);
        // defence in depth (issue 18 item 3): whatever ingress let through, a tenant's mail is
        // signed only for a domain it may use; the extra (platform) signatures vouch for the
        // platform, not the author, and still apply
        if (author != null && (!domains.mayUse(tenant, author)
                || (attributes != null && attributes.containsKey(UNSIGNED_ATTRIBUTE)))) {
            LOG.debug("no author signature for d={} (tenant {}): {}", author, tenant,
                    attributes != null && attributes.containsKey(UNSIGNED_ATTRIBUTE)
                            ? attributes.get(UNSIGNED_ATTRIBUTE) : "not the tenant's domain");
            author = null;
        }
        List<SigningKeys.Loaded> signers = k.signersFor(author);
        if (signers.isEmpty()) {
            return NONE;
        }
        byte[] header = new byte[extraHeaders.length + parts.headerEnd()];
        System.arraycopy(extraHeaders, 0, header, 0, extraHeaders.length);
        System.arraycopy(message, 0, header, extraHeaders.length, parts.headerEnd());
        Map<Canonicalization, byte[]> hashes = new EnumMap<>(Canonicalization.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream(512 * signers.size());
        for (SigningKeys.Loaded s : signers) {
            Canonicalization bodyCanon = s.settings().canon().body();
            byte[] bh = hashes.computeIfAbsent(bodyCanon, c -> storedOrComputed(message, parts, attributes, c));
            out.writeBytes(s.signer().sign(header, bh, now).getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private static byte[] storedOrComputed(byte[] message, MessageParts parts, Map<String, String> attributes,
                                           Canonicalization c) {
        String stored = attributes == null ? null : attributes.get(BODY_HASH_ATTRIBUTE + c.tag());
        if (stored != null) {
            try {
                byte[] bh = Base64.getDecoder().decode(stored);
                if (bh.length == 32) {
                    return bh;
                }
            } catch (IllegalArgumentException ignored) {
                // not ours or damaged: hash again below
            }
        }
        return hash(message, parts, c);
    }

    private static byte[] hash(byte[] message, MessageParts parts, Canonicalization c) {
        BodyHasher h = new BodyHasher(c);
        h.update(message, parts.bodyStart(), message.length - parts.bodyStart());
        return h.digest();
    }

    /** A loaded key with the settings it came from (domain, selector, role, key file). */
    public record KeyInUse(DkimSettings.Signer settings, io.sluice.dkim.DkimKey key) {
    }

    /** Every loaded key, for the sender-health doctor (which compares each with its DNS record). */
    public List<KeyInUse> keysInUse() {
        return keys.all().stream().map(l -> new KeyInUse(l.settings(), l.signer().identity().key())).toList();
    }

    /** Whether mail from a subdomain is signed with its parent's keys ({@code sluice.dkim.use-parent-domain}). */
    public boolean usesParentDomain() {
        return settings.useParentDomain();
    }

    /** d=/s=/a=/c= of every loaded key, for tests and the admin API. */
    public List<String> describeKeys() {
        return keys.all().stream().map(l -> l.settings().role().name().toLowerCase(java.util.Locale.ROOT)
                + " d=" + l.signer().identity().domain() + " s=" + l.signer().identity().selector()
                + " a=" + l.signer().identity().key().algorithm().tag() + " c=" + l.signer().identity().canon().tag()
                + " p=" + io.sluice.dkim.DnsRecord.of(l.signer().identity().key()).publicKeyBase64()).toList();
    }

    private static void describe(SigningKeys k) {
        if (k.isEmpty()) {
            return;
        }
        for (SigningKeys.Loaded l : k.all()) {
            var id = l.signer().identity();
            LOG.info("DKIM {} d={} s={} {} c={} h={} x={} key {}",
                    l.settings().role().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                    id.domain(), id.selector(), id.key(), id.canon().tag(),
                    id.signedHeaders().isEmpty() ? "default" : String.join(":", id.signedHeaders()),
                    id.expiry() == null ? "none" : id.expiry(), l.settings().keyFile());
        }
    }
}
