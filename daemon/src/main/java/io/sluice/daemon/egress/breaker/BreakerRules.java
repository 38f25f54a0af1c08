package io.sluice.daemon.egress.breaker;

import io.sluice.daemon.config.YamlTree;
import io.sluice.daemon.outcome.rates.RateWindow;
import io.sluice.daemon.outcome.rates.Signal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The circuit breaker's thresholds, as data: the shipped {@code breaker-rules.yml}, then the
 * operator's file ({@code sluice.breaker.rules-file}), whose rules replace shipped ones of the same
 * name (so {@code enabled: true} on {@code hard-bounce-pause} is a two-line file) and add others.
 * Every error is a ConfigException naming the file and key. Immutable.
 */
public final class BreakerRules {
    static final String DEFAULTS = "/io/sluice/daemon/egress/breaker/breaker-rules.yml";

    private final List<BreakerRule> rules;

    BreakerRules(List<BreakerRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The rules in force for {@code sluice.breaker.*}. */
    public static BreakerRules load(io.sluice.daemon.config.BreakerSettings settings) {
        return load(settings.rulesFile() == null || settings.rulesFile().isBlank() ? null : Path.of(settings.rulesFile()));
    }

    /** The shipped rules, overridden by {@code userFile} (may be null). */
    public static BreakerRules load(Path userFile) {
        Map<String, BreakerRule> byName = new LinkedHashMap<>();
        try (InputStream in = BreakerRules.class.getResourceAsStream(DEFAULTS)) {
            read(YamlTree.load("breaker-rules.yml", in), byName, Map.of());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the shipped breaker rules", e);
        }
        if (userFile != null) {
            read(YamlTree.load(userFile), byName, Map.copyOf(byName));
        }
        return new BreakerRules(new ArrayList<>(byName.values()));
    }

    /** Rules read from a YAML text alone, without the shipped ones (tests). */
    static BreakerRules of(YamlTree tree) {
        Map<String, BreakerRule> byName = new LinkedHashMap<>();
        read(tree, byName, Map.of());
        return new BreakerRules(new ArrayList<>(byName.values()));
    }

    private static void read(YamlTree tree, Map<String, BreakerRule> into, Map<String, BreakerRule> shipped) {
        for (YamlTree r : tree.get("rules").list()) {
            String name = r.get("name").text(null);
            if (name == null || name.isBlank()) {
                throw r.fail("a breaker rule needs a name");
            }
            into.put(name, rule(r, name, shipped.get(name)));
        }
    }

    /* A user rule of a shipped name starts from the shipped one: only the keys it names change. */
    private static BreakerRule rule(YamlTree r, String name, BreakerRule base) {
        Signal signal = enumOf(r.get("signal"), base == null ? null : base.signal(), Signal::fromLabel,
                "complaint, hard-bounced, bounced, blocked, deferred, unsubscribe");
        BreakerRule.Over over = enumOf(r.get("over"), base == null ? BreakerRule.Over.ATTEMPTS : base.over(),
                s -> parse(BreakerRule.Over.class, s), "delivered, attempts");
        RateWindow window = enumOf(r.get("window"), base == null ? null : base.window(), RateWindow::fromLabel,
                "15m, 1h, 24h");
        BreakerRule.Scope scope = enumOf(r.get("scope"), base == null ? null : base.scope(),
                s -> parse(BreakerRule.Scope.class, s), "tenant, campaign, source");
        BreakerRule.Action action = enumOf(r.get("action"), base == null ? null : base.action(),
                s -> parse(BreakerRule.Action.class, s), "warn, pause");
        if (signal == null || signal == Signal.DELIVERED || signal.engagement()) {
            throw r.get("signal").fail("must be one of complaint, hard-bounced, bounced, blocked, deferred, unsubscribe");
        }
        if (window == null || scope == null || action == null) {
            throw r.fail("breaker rule '" + name + "' needs window, scope and action");
        }
        double threshold = threshold(r.get("threshold"), base == null ? Double.NaN : base.threshold());
        long minVolume = r.get("min-volume").number(base == null ? 1 : base.minVolume());
        if (minVolume < 1) {
            throw r.get("min-volume").fail("must be at least 1");
        }
        Duration pauseFor = r.get("pause-for").duration(base == null ? Duration.ofHours(1) : base.pauseFor());
        if (pauseFor.isNegative() || pauseFor.isZero()) {
            throw r.get("pause-for").fail("must be positive");
        }
        boolean enabled = r.get("enabled").bool(base == null || base.enabled());
        return new BreakerRule(name, signal, over, threshold, minVolume, window, scope, action, pauseFor, enabled);
    }

    /* "0.3%" or a fraction such as 0.003; more than 0, at most 100 %. */
    private static double threshold(YamlTree t, double fallback) {
        if (t.isNull()) {
            if (Double.isNaN(fallback)) {
                throw t.fail("a breaker rule needs a threshold (e.g. 0.3%)");
            }
            return fallback;
        }
        String text = t.text("").strip();
        double v;
        try {
            v = text.endsWith("%") ? Double.parseDouble(text.substring(0, text.length() - 1).strip()) / 100
                    : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw t.fail("must be a percentage such as 0.3% or a fraction such as 0.003");
        }
        if (!(v > 0 && v <= 1)) {
            throw t.fail("must be more than 0 and at most 100%");
        }
        return v;
    }

    private static <E> E enumOf(YamlTree t, E fallback, java.util.function.Function<String, E> parse, String words) {
        if (t.isNull()) {
            return fallback;
        }
        E v = parse.apply(t.text("").strip().toLowerCase(Locale.ROOT));
        if (v == null) {
            throw t.fail("must be one of " + words);
        }
        return v;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String s) {
        try {
            return Enum.valueOf(type, s.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public List<BreakerRule> rules() {
        return rules;
    }
}
