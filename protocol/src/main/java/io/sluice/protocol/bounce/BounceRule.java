package io.sluice.protocol.bounce;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One classification rule: when the status, the reply code, the text and the conditions all match,
 * the reply has this reason. Which rules are tried when is {@link BounceClassifier}'s decision
 * order; within a {@link Stage} the first matching rule wins.
 *
 * @param reason   the verdict
 * @param status   RFC 3463 status patterns separated by {@code |}: {@code 5.1.1}, {@code 5.1.*},
 *                 {@code *.2.2}, or {@code none} for "the reply carried no status"; null for any
 * @param code     reply-code patterns separated by {@code |}: {@code 550}, {@code 55x}, {@code 5xx}; null for any
 * @param phrases  case-insensitive phrases, any of which must occur in the text (white space runs
 *                 count as one space); empty when the rule has no phrase condition
 * @param regex    a case-insensitive regular expression that must be found in the text, or null
 * @param textOf   the text condition borrowed from other reasons ({@code @user-unknown}): met when
 *                 a phrase or regex of any rule of those reasons occurs; empty when not borrowed
 * @param when     conditions on the SMTP command, the remote host and vetoing texts
 * @param stage    where in the decision order the rule is tried
 * @param citation the published reply catalogue that supports a provider's rule (a URL), or null
 * @param source   where the rule came from ({@code file:line}), for error messages and explanations
 */
public record BounceRule(BounceReason reason, String status, String code, List<String> phrases, Pattern regex,
                         List<BounceReason> textOf, Condition when, Stage stage, String citation, String source) {

    public BounceRule {
        phrases = List.copyOf(phrases);
        textOf = List.copyOf(textOf);
        when = when == null ? Condition.ANY : when;
    }

    /** True when the rule says something about the words of the reply (phrases, regex or borrowed). */
    public boolean hasTextCondition() {
        return !phrases.isEmpty() || regex != null || !textOf.isEmpty();
    }

    /** The steps of the decision order, in order (see {@link BounceClassifier}). */
    public enum Stage {
        /** An operator's own rules (a user file's rules before any section header): tried before all others. */
        OVERRIDE,
        /** Rules for one provider's remote hosts, from its published reply catalogue. */
        PROVIDER,
        /** Rules for one bounce format (the MTA that wrote the bounce): its own error codes and lines. */
        FORMAT,
        /** Reasons whose status or words decide before the status table is consulted (Sisimai's first pass). */
        FIRST,
        /** The status table: what each RFC 3463 status means on its own. */
        STATUS,
        /** Words tried when the status said nothing or too little (Sisimai's second pass). */
        THEN,
        /** The status class, the reply code, the diagnostic type: the last resort before "on hold". */
        FALLBACK
    }

    /**
     * Conditions beyond status, code and text.
     *
     * @param commands         SMTP commands the rule is limited to; empty for any
     * @param commandsExcluded true when {@code commands} lists the commands the rule does not apply to
     * @param hosts            remote-host name suffixes ({@code google.com} matches {@code mx.google.com}); empty for any
     * @param unless           reasons whose words, when present, veto the rule: "5.1.1 means user unknown,
     *                         unless the text says the refusal was about relaying, blocking, …"
     * @param formats          bounce formats ({@link BounceFormat} names) the rule is limited to; empty for any
     */
    public record Condition(Set<SmtpCommand> commands, boolean commandsExcluded, List<String> hosts, List<BounceReason> unless,
                            List<String> formats) {

        static final Condition ANY = new Condition(Set.of(), false, List.of(), List.of(), List.of());

        public Condition {
            commands = Set.copyOf(commands);
            hosts = List.copyOf(hosts);
            unless = List.copyOf(unless);
            formats = List.copyOf(formats);
        }

        public Condition(Set<SmtpCommand> commands, boolean commandsExcluded, List<String> hosts, List<BounceReason> unless) {
            this(commands, commandsExcluded, hosts, unless, List.of());
        }

        boolean formatMatches(String format) {
            return formats.isEmpty() || (format != null && formats.contains(format));
        }

        boolean commandMatches(SmtpCommand command) {
            return commands.isEmpty() || commands.contains(command) != commandsExcluded;
        }

        boolean hostMatches(String host) {
            if (hosts.isEmpty()) {
                return true;
            }
            if (host == null) {
                return false;
            }
            for (String suffix : hosts) {
                if (host.equals(suffix) || host.endsWith("." + suffix)) {
                    return true;
                }
            }
            return false;
        }
    }
}
