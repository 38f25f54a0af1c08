package io.sluice.protocol.bounce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heuristics for bounces written for people, not programs. They rest on how every MTA lays such a
 * bounce out, not on any one MTA's wording:
 *
 * <ol>
 *   <li>The explanation comes first; a copy of the original message follows after a separator line
 *       ("--- Below this line is a copy of the message.", "------ This is a copy of the message",
 *       "----- Original message -----") or simply starts with its own header block.</li>
 *   <li>Each failed recipient is named on a line of its own or at the start of its paragraph
 *       (qmail's {@code <addr>:}, Exim's indented {@code   addr}, Postfix's
 *       {@code <addr>: host ... said: 550 ...}, Sendmail's {@code <addr>... User unknown}), and
 *       what the remote server said follows it, up to the next recipient.</li>
 * </ol>
 *
 * So: cut at the separator, walk the lines, start a new block at each line that names a new
 * address (other than the bounce's own sender and addressee, and the template's contact addresses),
 * and give each address its block. A Sendmail transcript is the one layout where the reason comes
 * before the recipient's line ("<<< 550 ..." then "554 <addr>... Remote protocol error"): those
 * transcript lines go to the recipient below them.
 */
final class ProseScanner {

    record Block(String address, String text) {}

    /**
     * @param blocks          one per recipient, in order of first mention
     * @param preamble        the text before the first recipient (the general explanation)
     * @param originalHeaders the header block of a pasted copy of the original, or null
     */
    record Result(List<Block> blocks, String preamble, String originalHeaders, String explanation) {
        /* The block for an address; for a non-address (a file or program recipient) the paragraph naming it. */
        String diagnosticFor(String address) {
            if (address == null) {
                return "";
            }
            for (Block b : blocks) {
                if (b.address().equalsIgnoreCase(address)) {
                    return b.text();
                }
            }
            int at = explanation.indexOf(address);
            if (at < 0) {
                return "";
            }
            int start = explanation.lastIndexOf('\n', at) + 1;
            int end = explanation.indexOf("\n\n", at);
            return explanation.substring(start, end < 0 ? explanation.length() : end);
        }
    }

    private static final int MAX_LINES = 2_000;
    /* Words after an address on its line (other addresses aside): two letters in a row. */
    private static final Pattern WORDS_AFTER = Pattern.compile("\\p{L}{2}");
    /* A separator is a rule line ("----- Original message -----") or a sentence announcing the copy. */
    private static final Pattern SEPARATOR = Pattern.compile(
            "(?i)^\\s*[-=*_]{2,}.{0,30}(original|copy|headers|returned|unsent|undelivered|rfc822)");
    /* A sentence announcing the copy separates only when it opens a paragraph: inside one it is advice
       (Postfix's template: "You can / delete your own text from the attached returned message."). */
    private static final Pattern ANNOUNCEMENT = Pattern.compile(
            "(?i)^\\s*.{0,40}(below this line|copy of the message|copy of your message|message follows|headers follow|message headers follow"
                    + "|original message follows|original message headers|returned message|content-type: message/rfc822)");
    private static final Pattern ORIGINAL_HEADER = Pattern.compile(
            "(?i)^(Return-Path|Received|DKIM-Signature|Message-ID|X-[A-Za-z0-9-]+|MIME-Version|Content-Type|Authentication-Results):[ \\t]?.*");
    /* Trace fields (RFC 5321 §4.4) start a pasted original even without a blank line before them. */
    private static final Pattern TRACE_HEADER = Pattern.compile("(?i)^(Return-Path:\\s*<|Received:\\s+(from|by)\\s)");
    private static final Pattern HEADER_LINE = Pattern.compile("^[A-Za-z][A-Za-z0-9-]*:.*");
    /* Lines quoting the original's header summary (Exchange's "To: ... Subject: ... Sent:"), not a failed recipient. */
    private static final Pattern SENDER_LINE = Pattern.compile(
            "(?i)^[\\s>]*(from|to|cc|sender|reply-to|return-path|message-id|in-reply-to|references|envelope-from|mail from)\\s*:");
    /* A line of an SMTP session transcript as Sendmail writes it (RFC 5321 commands sent, replies received). */
    private static final Pattern TRANSCRIPT = Pattern.compile(
            "(?i)^\\s*(>>> |<<< |\\.\\.\\. while talking to |while talking to |[245]\\d\\d[ -][a-z0-9.-]+\\.[a-z]{2,} \\([a-z0-9-]+\\)\\.\\.\\. )");
    /* Exim names the address an alias expanded from: "(ultimately generated from addr)". */
    private static final Pattern GENERATED = Pattern.compile("(?i)\\(?(ultimately )?generated (from|by) ");
    /* An address the template offers for help ("please contact <support@isp>", "write to ...") is not a failed recipient. */
    private static final Pattern CONTACT_BEFORE = Pattern.compile(
            "(?i)\\b(contact|write to|send (an )?e-?mail to|reach us at|questions to|assistance)\\W{0,4}\\s*<?$");
    private static final Pattern IGNORED_LOCAL = Pattern.compile("(?i)^(postmaster|mailer-daemon|mail-daemon|abuse|hostmaster|webmaster)@");

    private ProseScanner() {}

    static Result scan(String prose, List<String> excluded) {
        String[] lines = unquote(prose.split("\r?\n", -1));
        int limit = Math.min(lines.length, MAX_LINES);
        int cut = limit;
        for (int i = 0; i < limit; i++) {
            String line = lines[i];
            boolean afterBreak = i == 0 || lines[i - 1].isBlank() || SEPARATOR.matcher(lines[i - 1]).find();
            boolean separates = SEPARATOR.matcher(line).find() || (afterBreak && ANNOUNCEMENT.matcher(line).find());
            if ((separates && line.length() < 120 && !MessageParts.ADDRESS.matcher(line).find())
                    || (afterBreak && ORIGINAL_HEADER.matcher(line).matches() && i + 1 < limit && HEADER_LINE.matcher(lines[i + 1]).matches())
                    || (TRACE_HEADER.matcher(line).find() && i + 1 < limit && isHeaderOrFold(lines[i + 1]))) {
                cut = i;
                break;
            }
        }
        excluded = withContacts(lines, cut, excluded);
        Map<String, StringBuilder> blocks = new LinkedHashMap<>();
        Map<String, String> spelling = new LinkedHashMap<>();
        StringBuilder preamble = new StringBuilder();
        StringBuilder current = preamble;
        String currentKey = null;
        boolean saidOnItsLine = false; // the recipient's own line carries the reason ("addr: Envelope expired")
        boolean pastParagraph = false;
        StringBuilder[] appendedTo = new StringBuilder[cut];
        int[] appendedAt = new int[cut];
        for (int i = 0; i < cut; i++) {
            String line = lines[i];
            String found = SENDER_LINE.matcher(line).find() || GENERATED.matcher(line).find() ? null : recipientIn(line, excluded);
            if (found != null) {
                String key = found.toLowerCase(Locale.ROOT);
                if (!key.equals(currentKey)) {
                    currentKey = key;
                    spelling.putIfAbsent(key, found);
                    // Sendmail's transcript shows the exchange before the recipient's summary line ("While talking to
                    // host: >>> MAIL From:<...> <<< 550 ..." then "554 <addr>... Remote protocol error"), and a host's
                    // status line ("550 example.org (smtp)... 550 Host unknown") before its recipient's: they are this
                    // recipient's reason, not the block above it.
                    int from = transcriptStart(lines, i, excluded);
                    if (from < i && appendedTo[from] == current) {
                        current.setLength(appendedAt[from]);
                    }
                    current = blocks.computeIfAbsent(key, k -> new StringBuilder());
                    for (int k = from; k < i; k++) {
                        current.append(lines[k]).append('\n');
                    }
                    String after = line.substring(line.indexOf(found) + found.length());
                    saidOnItsLine = WORDS_AFTER.matcher(MessageParts.ADDRESS.matcher(after).replaceAll(" ")).find();
                    pastParagraph = false;
                }
            } else if (saidOnItsLine && line.isBlank()) {
                // Its reason was on its line: the paragraphs after it are the template's (OpenSMTPD's "this is only a
                // temporary failure report"), not this recipient's, and are left to the explanation.
                pastParagraph = true;
            }
            appendedTo[i] = current;
            appendedAt[i] = current.length();
            if (!pastParagraph && current.length() < 8_000) {
                current.append(line).append('\n');
            }
        }
        List<Block> out = new ArrayList<>();
        for (Map.Entry<String, StringBuilder> e : blocks.entrySet()) {
            out.add(new Block(spelling.get(e.getKey()), e.getValue().toString()));
        }
        return new Result(out, preamble.toString(), originalHeaders(lines, cut, limit), String.join("\n", java.util.Arrays.copyOf(lines, cut)));
    }

    /* The bounce's own sender and addressee, and every address the template offers for help ("please contact <addr>"). */
    private static List<String> withContacts(String[] lines, int cut, List<String> excluded) {
        List<String> out = new ArrayList<>(excluded);
        for (int i = 0; i < cut; i++) {
            Matcher m = MessageParts.ADDRESS.matcher(lines[i]);
            while (m.find()) {
                String before = lines[i].substring(Math.max(0, m.start() - 40), m.start());
                if (CONTACT_BEFORE.matcher(before).find()) {
                    out.add(m.group().toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    /*
     * Where the transcript lines (">>> command", "<<< reply", "while talking to host:", a host's status line) right above
     * line i start, i if none; a line naming another recipient is that recipient's and ends the walk.
     */
    private static int transcriptStart(String[] lines, int i, List<String> excluded) {
        int start = i;
        while (start > 0 && TRANSCRIPT.matcher(lines[start - 1]).find() && recipientIn(lines[start - 1], excluded) == null && i - start < 20) {
            start--;
        }
        return start;
    }

    /* A bounce forwarded by a person arrives quoted ("> "); read it as the MTA wrote it. */
    private static String[] unquote(String[] lines) {
        int quoted = 0;
        int nonBlank = 0;
        for (String l : lines) {
            if (!l.isBlank()) {
                nonBlank++;
                if (l.startsWith(">")) {
                    quoted++;
                }
            }
        }
        if (nonBlank == 0 || quoted * 2 < nonBlank) {
            return lines;
        }
        String[] out = new String[lines.length];
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            out[i] = l.startsWith("> ") ? l.substring(2) : l.startsWith(">") ? l.substring(1) : l;
        }
        return out;
    }

    private static boolean isHeaderOrFold(String line) {
        return HEADER_LINE.matcher(line).matches() || line.startsWith(" ") || line.startsWith("\t");
    }

    private static String recipientIn(String line, List<String> excluded) {
        Matcher m = MessageParts.ADDRESS.matcher(line);
        while (m.find()) {
            String a = m.group();
            while (a.startsWith(".") || a.startsWith("'")) {
                a = a.substring(1);
            }
            if (a.isEmpty() || excluded.contains(a.toLowerCase(Locale.ROOT)) || IGNORED_LOCAL.matcher(a).find()) {
                continue;
            }
            int start = m.start();
            if (start >= 7 && line.substring(start - 7, start).equalsIgnoreCase("mailto:") && line.contains("href")) {
                continue;
            }
            if (start > 0 && (line.charAt(start - 1) == '/' || line.charAt(start - 1) == '=')) {
                continue; // inside a URL or a query string
            }
            return a;
        }
        return null;
    }

    private static String originalHeaders(String[] lines, int cut, int limit) {
        int i = cut;
        while (i < limit && (lines[i].isBlank() || !HEADER_LINE.matcher(lines[i]).matches())) {
            if (i - cut > 5) {
                return null;
            }
            i++;
        }
        StringBuilder h = new StringBuilder();
        for (; i < limit; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                break;
            }
            if (!HEADER_LINE.matcher(line).matches() && !(line.startsWith(" ") || line.startsWith("\t"))) {
                break;
            }
            h.append(line).append("\r\n");
        }
        return h.length() == 0 ? null : h.toString();
    }
}
