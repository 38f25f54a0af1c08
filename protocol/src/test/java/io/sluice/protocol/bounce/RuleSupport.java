package io.sluice.protocol.bounce;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Which corpus mails each rule decided correctly, and from how many engine families: a text rule
 * earns its place by deciding mails of at least two families the way Sisimai does, or by citing
 * the provider's published reply catalogue. A rule supported by one family only describes that
 * family's samples, not the problem.
 */
final class RuleSupport {

    static final int MIN_FAMILIES = 2;

    /** Rule source ({@code file:line}) → corpus rows it decided as Sisimai does. */
    final Map<String, List<LabelledCorpus.Row>> correct = new HashMap<>();
    /** Rule source → corpus rows it decided otherwise. */
    final Map<String, List<LabelledCorpus.Row>> wrong = new HashMap<>();

    RuleSupport(List<LabelledCorpus.Verdict> verdicts, Predicate<LabelledCorpus.Row> counted) {
        for (LabelledCorpus.Verdict v : verdicts) {
            Classification c = v.classification();
            if (c == null || c.rule() == null || !counted.test(v.row())) {
                continue;
            }
            (v.reason().equals(v.row().reason()) ? correct : wrong).computeIfAbsent(c.rule(), k -> new ArrayList<>()).add(v.row());
        }
    }

    Set<String> families(BounceRule rule) {
        Set<String> out = new TreeSet<>();
        correct.getOrDefault(rule.source(), List.of()).forEach(r -> out.add(r.family()));
        return out;
    }

    boolean supported(BounceRule rule) {
        return !rule.hasTextCondition() || rule.citation() != null || families(rule).size() >= MIN_FAMILIES;
    }

    /** The rules that keep their place. */
    List<BounceRule> kept(List<BounceRule> rules) {
        List<BounceRule> out = new ArrayList<>();
        for (BounceRule r : rules) {
            if (supported(r)) {
                out.add(r);
            }
        }
        return out;
    }
}
