package io.sluice.daemon.egress.shaping;

import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.YamlTree;
import io.sluice.protocol.client.TlsMode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Provider rules and reply rules, compiled from data: the shipped {@code providers.yml}
 * resource, then an operator's file whose rules come first (and may replace the defaults with
 * {@code replace-defaults: true}). Immutable; a reload builds a new one.
 */
public final class ShapingRules {
    static final String DEFAULTS = "/io/sluice/daemon/egress/shaping/providers.yml";

    private final List<ProviderRule> providers;
    private final ProviderRule fallback;
    private final List<ReplyRule> replies;
    private final Set<String> feedbackLoops;

    ShapingRules(List<ProviderRule> providers, ProviderRule fallback, List<ReplyRule> replies,
                 Set<String> feedbackLoops) {
        this.providers = List.copyOf(providers);
        this.fallback = fallback;
        this.replies = List.copyOf(replies);
        this.feedbackLoops = Set.copyOf(feedbackLoops);
    }

    /**
     * @param base     the rule for providers nobody described (from sluice.delivery.*), unless a
     *                 file defines a rule named "default"
     * @param userFile the operator's rules, or null
     */
    public static ShapingRules load(ProviderRule base, Path userFile) {
        List<ProviderRule> providers = new ArrayList<>();
        List<ReplyRule> replies = new ArrayList<>();
        Map<String, Boolean> loops = new HashMap<>();
        ProviderRule fallback = base;
        boolean replace = false;
        if (userFile != null) {
            YamlTree user = YamlTree.load(userFile);
            replace = user.get("replace-defaults").bool(false);
            fallback = read(user, base, providers, replies, loops);
        }
        if (!replace) {
            try (InputStream in = ShapingRules.class.getResourceAsStream(DEFAULTS)) {
                ProviderRule shipped = read(YamlTree.load("providers.yml", in), base, providers, replies, loops);
                if (fallback == base) {
                    fallback = shipped;
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the shipped provider rules", e);
            }
        }
        Set<String> withLoop = new HashSet<>();
        loops.forEach((name, has) -> {
            if (has) {
                withLoop.add(name);
            }
        });
        return new ShapingRules(providers, fallback, replies, withLoop);
    }

    /* The operator's file is read first: its word on a provider's feedback loop stands. */
    private static ProviderRule read(YamlTree tree, ProviderRule base, List<ProviderRule> providers,
                                     List<ReplyRule> replies, Map<String, Boolean> loops) {
        ProviderRule fallback = base;
        for (YamlTree p : tree.get("providers").list()) {
            ProviderRule rule = provider(p, base);
            loops.putIfAbsent(rule.name(), p.get("feedback-loop").bool(false));
            if (rule.name().equals(base.name())) {
                fallback = rule;
            } else {
                providers.add(rule);
            }
        }
        for (YamlTree r : tree.get("replies").list()) {
            replies.add(reply(r));
        }
        return fallback;
    }

    static ProviderRule provider(YamlTree p, ProviderRule base) {
        String name = p.get("name").text(null);
        if (name == null || name.isBlank()) {
            throw p.fail("a provider rule needs a name");
        }
        return new ProviderRule(name, p.get("mx-suffixes").texts(), p.get("domains").texts(),
                positive(p.get("max-connections-per-path"), base.maxConnectionsPerPath()),
                positive(p.get("max-connections"), base.maxConnections()),
                positive(p.get("max-deliveries-per-connection"), base.maxDeliveriesPerConnection()),
                rate(p.get("message-rate"), base.messageRate()),
                rate(p.get("connection-rate"), base.connectionRate()),
                tls(p.get("tls"), base.tls(), name),
                rate(p.get("total-message-rate"), Rate.UNLIMITED),
                positive(p.get("total-max-connections"), ProviderRule.NO_TOTAL));
    }

    private static int positive(YamlTree t, int fallback) {
        long n = t.number(fallback);
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw t.fail("must be at least 1");
        }
        return (int) n;
    }

    private static Rate rate(YamlTree t, Rate fallback) {
        if (t.isNull()) {
            return fallback;
        }
        try {
            return Rate.parse(t.text(null));
        } catch (IllegalArgumentException e) {
            throw t.fail(e.getMessage());
        }
    }

    /* The YAML value stays a word (opportunistic, required, none); the rule holds the enum. */
    private static TlsMode tls(YamlTree t, TlsMode fallback, String rule) {
        if (t.isNull()) {
            return fallback;
        }
        try {
            return TlsMode.valueOf(t.text("").strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw t.fail("tls of provider rule '" + rule + "' must be one of opportunistic, required, none");
        }
    }

    /** A rule to validate overrides against (any limits will do). */
    public static final ProviderRule PLACEHOLDER = new ProviderRule("placeholder", List.of(), List.of(), 1, 1, 1,
            Rate.UNLIMITED, Rate.UNLIMITED, TlsMode.OPPORTUNISTIC);

    /** {@code rule} with a source's own limits for it ({@code sources.NAME.limits.PROVIDER} in the egress file). */
    public static ProviderRule overridden(ProviderRule rule, YamlTree limits) {
        for (String total : List.of("total-message-rate", "total-max-connections")) {
            if (!limits.get(total).isNull()) {
                throw limits.get(total).fail("a provider's total spans all sources: set it in the rules file");
            }
        }
        return new ProviderRule(rule.name(), rule.mxSuffixes(), rule.domains(),
                positive(limits.get("max-connections-per-path"), rule.maxConnectionsPerPath()),
                positive(limits.get("max-connections"), rule.maxConnections()),
                positive(limits.get("max-deliveries-per-connection"), rule.maxDeliveriesPerConnection()),
                rate(limits.get("message-rate"), rule.messageRate()),
                rate(limits.get("connection-rate"), rule.connectionRate()),
                tls(limits.get("tls"), rule.tls(), rule.name()),
                rule.totalMessageRate(), rule.totalMaxConnections());
    }

    static ReplyRule reply(YamlTree r) {
        String name = r.get("name").text(null);
        if (name == null) {
            throw r.fail("a reply rule needs a name");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(r.get("match").text(""), Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw r.get("match").fail("not a regular expression: " + e.getDescription());
        }
        ReplyRule.Action action;
        try {
            action = ReplyRule.Action.valueOf(r.get("action").text("").strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw r.get("action").fail("must be one of suspend-path, suspend-source, suspend-tenant, throttle, bounce");
        }
        long count = r.get("count").number(1);
        if (count < 1) {
            throw r.get("count").fail("must be at least 1");
        }
        double factor = r.get("factor").decimal(0.5);
        if (factor <= 0 || factor > 1) {
            throw r.get("factor").fail("must be in (0, 1]");
        }
        return new ReplyRule(name, r.get("provider").text(null), pattern, action,
                r.get("duration").duration(Duration.ofMinutes(15)), (int) count,
                r.get("period").duration(Duration.ofMinutes(5)), factor);
    }

    /** The rule in force for a domain whose MX hosts are {@code mxHosts}: domain match, then MX suffixes, then the default. */
    public ProviderRule match(String domain, List<String> mxHosts) {
        String d = domain.toLowerCase(Locale.ROOT);
        for (ProviderRule r : providers) {
            if (r.matchesDomain(d)) {
                return r;
            }
        }
        for (ProviderRule r : providers) {
            if (r.matchesMx(mxHosts)) {
                return r;
            }
        }
        return fallback;
    }

    public ProviderRule byName(String name) {
        for (ProviderRule r : providers) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        return fallback;
    }

    public List<ProviderRule> providers() {
        return providers;
    }

    public ProviderRule fallback() {
        return fallback;
    }

    public List<ReplyRule> replies() {
        return replies;
    }

    /**
     * True when the provider sends per-message complaint reports (an ARF feedback loop:
     * {@code feedback-loop: true} in its rule). Without one a complaint rate is unknown, never 0 %.
     */
    public boolean hasFeedbackLoop(String provider) {
        return feedbackLoops.contains(provider);
    }

    /** Fails with a ConfigException when a rule names a provider that does not exist. */
    public ShapingRules validated() {
        for (ReplyRule r : replies) {
            if (r.provider() != null && !r.provider().equals(fallback.name())
                    && providers.stream().noneMatch(p -> p.name().equals(r.provider()))) {
                throw new ConfigException("replies." + r.name() + ".provider", r.provider(), "no provider rule by that name");
            }
        }
        return this;
    }
}
