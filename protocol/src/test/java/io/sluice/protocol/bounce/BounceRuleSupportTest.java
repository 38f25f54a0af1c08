package io.sluice.protocol.bounce;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every text rule of the bundled file must earn its place: it decides corpus mails of at least
 * {@value RuleSupport#MIN_FAMILIES} engine families as Sisimai does, or it cites the published
 * reply catalogue of the provider it names. A rule only one family's samples support describes
 * those samples, not the replies of the world. Prints, per rule, how many mails it decided
 * rightly and wrongly and from which families.
 */
class BounceRuleSupportTest {

    @Test
    void everyTextRuleIsSupportedByTwoFamiliesOrACitation() {
        LabelledCorpus corpus = LabelledCorpus.load();
        RuleSupport support = new RuleSupport(corpus.judge(new BounceParser(), r -> true), r -> true);
        List<String> unsupported = new ArrayList<>();
        System.out.println("rule support (rule: right/wrong decisions, families of the right ones)");
        for (BounceRule rule : BounceRules.bundled()) {
            if (!rule.hasTextCondition()) {
                continue;
            }
            int right = support.correct.getOrDefault(rule.source(), List.of()).size();
            int wrong = support.wrong.getOrDefault(rule.source(), List.of()).size();
            System.out.printf("  %-24s %-18s right %3d wrong %3d families %s%s%n", rule.source(), rule.reason().label(), right, wrong,
                    support.families(rule), rule.citation() == null ? "" : " cites " + rule.citation());
            if (!support.supported(rule)) {
                unsupported.add(rule.source() + " (" + rule.reason().label() + ", families " + support.families(rule) + ")");
            }
        }
        assertTrue(unsupported.isEmpty(), "text rules without support from two engine families or a citation: " + unsupported);
    }

    @Test
    void aRuleOnlyOneFamilyEverSupportsIsRejected() {
        BounceRule rule = BounceRules.parse("user-unknown\t*\t*\tsome reply only one sample says\n", "made-up.tsv").get(0);
        LabelledCorpus.Row a = new LabelledCorpus.Row("eml/lhost-exim-01.eml", 1, "lhost-exim", "userunknown", true, true);
        LabelledCorpus.Row b = new LabelledCorpus.Row("eml/lhost-exim-02.eml", 1, "lhost-exim", "userunknown", true, true);
        Classification c = new Classification(BounceCategory.BAD_MAILBOX, "userunknown", true, "5.1.1", 550, Evidence.TEXT, rule.source());
        RuleSupport one = new RuleSupport(List.of(new LabelledCorpus.Verdict(a, "userunknown", true, c),
                new LabelledCorpus.Verdict(b, "userunknown", true, c)), r -> true);
        assertFalse(one.supported(rule), "two mails of one family are one family");
        LabelledCorpus.Row other = new LabelledCorpus.Row("eml/rfc3464-01.eml", 1, "rfc3464", "userunknown", true, true);
        RuleSupport two = new RuleSupport(List.of(new LabelledCorpus.Verdict(a, "userunknown", true, c),
                new LabelledCorpus.Verdict(other, "userunknown", true, c)), r -> true);
        assertTrue(two.supported(rule));
        BounceRule cited = BounceRules.parse("[provider]\nuser-unknown\t*\t*\tsome reply\trhost=example.com\thttps://example.com/smtp-codes\n",
                "cited.tsv").get(0);
        assertTrue(one.supported(cited), "a citation of the provider's catalogue stands in for corpus support");
    }

    @Test
    void theBundledRulesLoad() {
        // No timing assertion (tests never assert wall-clock speed); loading must simply succeed
        // and yield rules in every section of the decision order the file uses.
        List<BounceRule> rules = BounceRules.bundled();
        assertTrue(rules.size() > 50, "rules: " + rules.size());
        assertTrue(rules.stream().anyMatch(r -> r.stage() == BounceRule.Stage.FIRST));
        assertTrue(rules.stream().anyMatch(r -> r.stage() == BounceRule.Stage.STATUS));
        assertTrue(rules.stream().anyMatch(r -> r.stage() == BounceRule.Stage.THEN));
        assertTrue(rules.stream().anyMatch(r -> r.stage() == BounceRule.Stage.FALLBACK));
    }
}
