package io.sluice.protocol.smtp;

import java.util.List;
import java.util.Objects;

/**
 * One SMTP reply: code, optional enhanced status code and text.
 *
 * @param code         the three-digit reply code (RFC 5321 §4.2), 200..599
 * @param enhancedCode the enhanced status code such as {@code "5.1.1"} (RFC 3463), or null when the
 *                     reply carries none
 * @param text         the text after the codes; the lines of a multiline reply joined by one space
 */
public record SmtpReply(int code, String enhancedCode, String text) {

    public SmtpReply {
        // RFC 5321 §4.2: the first digit is 2..5; 1yz is unused in SMTP but tolerated by no one here.
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range 200..599: " + code);
        }
        if (enhancedCode != null && !isEnhancedCodeFor(code, enhancedCode)) {
            throw new IllegalArgumentException(
                    "enhanced code " + enhancedCode + " does not match reply code " + code);
        }
        text = text == null ? "" : text;
    }

    public static SmtpReply of(int code, String enhancedCode, String text) {
        return new SmtpReply(code, enhancedCode, text);
    }

    /**
     * Parses the lines of one reply, each without its CRLF ({@code "250-first"}, {@code "250 last"}).
     * All lines must carry the same code (RFC 5321 §4.2.1). An enhanced code is taken from the
     * first line only when it looks like class.subject.detail and its class equals the reply
     * code's first digit; servers that repeat it on continuation lines (Postfix, Gmail) have the
     * repeats removed so the joined text reads once.
     */
    public static SmtpReply parse(List<String> lines) {
        Objects.requireNonNull(lines, "lines");
        if (lines.size() == 1) {
            return parseOne(lines.get(0));
        }
        return parseLines(lines);
    }

    /**
     * A one-line reply, as {@link #parseLines} reads it, without the substrings and the builder
     * per line (issue 14: MAIL, RCPT, DATA and the end of data are one line each, on the client's
     * event loops): only the enhanced code and the text are cut out of the line.
     */
    static SmtpReply parseOne(String line) {
        int code = codeOf(line);
        int n = line.length();
        if (n > 3) {
            char sep = line.charAt(3);
            if (sep != ' ' && sep != '-') {
                throw new IllegalArgumentException("expected ' ' or '-' after the code: " + line);
            }
            if (sep != ' ') {
                throw new IllegalArgumentException("last line of a reply continues with '-': " + line);
            }
        }
        if (n <= 4) {
            return new SmtpReply(code, null, "");
        }
        int sp = line.indexOf(' ', 4);
        int tokenEnd = sp < 0 ? n : sp;
        String enhanced = null;
        int textFrom = 4;
        if (isEnhancedCode(line, 4, tokenEnd) && line.charAt(4) - '0' == code / 100) {
            enhanced = line.substring(4, tokenEnd);
            textFrom = tokenEnd;
        }
        return new SmtpReply(code, enhanced, line.substring(textFrom).strip());
    }

    /* Any number of lines; see parse. */
    static SmtpReply parseLines(List<String> lines) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("empty reply");
        }
        int code = -1;
        String enhanced = null;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int lineCode = codeOf(line);
            if (i == 0) {
                code = lineCode;
            } else if (lineCode != code) {
                throw new IllegalArgumentException(
                        "multiline reply mixes codes " + code + " and " + lineCode + ": " + line);
            }
            boolean last = i == lines.size() - 1;
            if (line.length() > 3) {
                char sep = line.charAt(3);
                if (sep != ' ' && sep != '-') {
                    throw new IllegalArgumentException("expected ' ' or '-' after the code: " + line);
                }
                if (!last && sep != '-') {
                    throw new IllegalArgumentException("line before the last one lacks '-': " + line);
                }
                if (last && sep != ' ') {
                    throw new IllegalArgumentException("last line of a reply continues with '-': " + line);
                }
            } else if (!last) {
                throw new IllegalArgumentException("line before the last one lacks '-': " + line);
            }
            String rest = line.length() > 4 ? line.substring(4) : "";
            if (i == 0) {
                String first = firstToken(rest);
                if (isEnhancedCodeFor(code, first)) {
                    enhanced = first;
                    rest = rest.substring(first.length()).stripLeading();
                }
            } else if (enhanced != null && firstToken(rest).equals(enhanced)) {
                rest = rest.substring(enhanced.length()).stripLeading();
            }
            rest = rest.strip();
            if (!rest.isEmpty()) {
                if (text.length() > 0) {
                    text.append(' ');
                }
                text.append(rest);
            }
        }
        return new SmtpReply(code, enhanced, text.toString());
    }

    /** Parses a one-line reply such as {@code "550 5.1.1 no such user"}. */
    public static SmtpReply parse(String line) {
        return parse(List.of(line));
    }

    /**
     * This reply with its text cut to at most {@code maxChars} characters, the cut marked with
     * {@code " [truncated]"} (never splitting a surrogate pair); the reply itself when it fits.
     */
    public SmtpReply truncated(int maxChars) {
        if (text.length() <= maxChars) {
            return this;
        }
        String mark = " [truncated]";
        int keep = Math.max(0, maxChars - mark.length());
        if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--;
        }
        return new SmtpReply(code, enhancedCode, text.substring(0, keep) + mark);
    }

    /** 2yz: the command was accepted (RFC 5321 §4.2.1). 3yz counts as positive too (intermediate). */
    public boolean isPositive() {
        return code < 400;
    }

    /** 4yz: try again later. */
    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    /** 5yz: do not repeat the same request. */
    public boolean isPermanent() {
        return code >= 500;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(8 + text.length()).append(code);
        if (enhancedCode != null) {
            s.append(' ').append(enhancedCode);
        }
        if (!text.isEmpty()) {
            s.append(' ').append(text);
        }
        return s.toString();
    }

    private static int codeOf(String line) {
        if (line == null || line.length() < 3) {
            throw new IllegalArgumentException("reply line shorter than a code: " + line);
        }
        int code = 0;
        for (int i = 0; i < 3; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("reply line does not start with three digits: " + line);
            }
            code = code * 10 + (c - '0');
        }
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range 200..599: " + line);
        }
        return code;
    }

    private static String firstToken(String s) {
        int sp = s.indexOf(' ');
        return sp < 0 ? s : s.substring(0, sp);
    }

    private static boolean isEnhancedCodeFor(int code, String candidate) {
        return isEnhancedCode(candidate) && candidate.charAt(0) - '0' == code / 100;
    }

    /**
     * RFC 3463 §2: class "." subject "." detail, the class 2, 4 or 5, subject and detail 1-3 ASCII
     * digits each. Checked by hand, not with a regex: it runs for every reply built or parsed, and
     * a {@code Matcher} per call was garbage on every delivery (issue 14).
     */
    static boolean isEnhancedCode(String s) {
        return isEnhancedCode(s, 0, s.length());
    }

    /* The same check on {@code s[from, to)}, without cutting it out. */
    static boolean isEnhancedCode(String s, int from, int to) {
        int n = to - from;
        if (n < 5 || n > 9) {
            return false;
        }
        char c = s.charAt(from);
        if ((c != '2' && c != '4' && c != '5') || s.charAt(from + 1) != '.') {
            return false;
        }
        int afterSubject = digits(s, from + 2, to);
        if (afterSubject < 0 || afterSubject >= to || s.charAt(afterSubject) != '.') {
            return false;
        }
        return digits(s, afterSubject + 1, to) == to;
    }

    /* The index after 1-3 ASCII digits starting at {@code from} (before {@code to}), or -1 when there is no digit there. */
    private static int digits(String s, int from, int to) {
        int i = from;
        while (i < to && i - from < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i == from ? -1 : i;
    }
}
