package io.sluice.protocol.bounce;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One classification rule: when the status, the reply code and the text all match, the reply has
 * this reason. Rules are tried in order; the first that matches wins.
 *
 * @param reason   the verdict
 * @param status   an RFC 3463 status pattern: {@code 5.1.1}, {@code 5.1.*}, {@code *.2.2}; null for any
 * @param code     a reply-code pattern: {@code 550}, {@code 55x}, {@code 5xx}; null for any
 * @param phrases  case-insensitive phrases, any of which must occur in the text (white space runs
 *                 count as one space); empty for any text
 * @param regex    a case-insensitive regular expression that must be found in the text, or null
 * @param source   where the rule came from ({@code file:line}), for error messages and debugging
 */
public record BounceRule(BounceReason reason, String status, String code, List<String> phrases, Pattern regex,
                         String source) {

    public BounceRule {
        phrases = List.copyOf(phrases);
    }

    boolean hasTextCondition() {
        return !phrases.isEmpty() || regex != null;
    }

    /* Both patterns are compared character by character; '*' and 'x' match any one component or digit. */
    boolean statusMatches(String actual) {
        if (status == null) {
            return true;
        }
        if (actual == null) {
            return false;
        }
        String[] want = status.split("\\.", -1);
        String[] got = actual.split("\\.", -1);
        if (want.length != 3 || got.length != 3) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            if (!want[i].equals("*") && !want[i].equalsIgnoreCase("x") && !want[i].equals(got[i])) {
                return false;
            }
        }
        return true;
    }

    boolean codeMatches(int actual) {
        if (code == null) {
            return true;
        }
        if (actual <= 0) {
            return false;
        }
        String digits = Integer.toString(actual);
        for (int i = 0; i < 3; i++) {
            char c = code.charAt(i);
            if (c != 'x' && c != 'X' && c != digits.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
