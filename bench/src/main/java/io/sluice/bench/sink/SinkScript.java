package io.sluice.bench.sink;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rules of a sink, looked up per recipient: the rule for the recipient's domain, else the
 * rule of the listener's port, else {@code *}, else accept everything.
 */
public final class SinkScript {
    private final Map<String, SinkRule> rules = new LinkedHashMap<>();
    private final SinkRule fallback;

    public SinkScript(List<SinkRule> rules) {
        for (SinkRule r : rules) {
            if (this.rules.put(r.match, r) != null) {
                throw new IllegalArgumentException("sink script: two rules for '" + r.match + "'");
            }
        }
        this.fallback = this.rules.getOrDefault("*", SinkRule.acceptAll("*"));
    }

    public static SinkScript parse(List<String> specs) {
        return new SinkScript(specs.stream().map(SinkRule::parse).toList());
    }

    SinkRule forRecipient(String domain, int listenerPort) {
        SinkRule r = rules.get(domain.toLowerCase(Locale.ROOT));
        return r != null ? r : forListener(listenerPort);
    }

    SinkRule forListener(int listenerPort) {
        SinkRule r = rules.get("port=" + listenerPort);
        return r != null ? r : fallback;
    }
}
