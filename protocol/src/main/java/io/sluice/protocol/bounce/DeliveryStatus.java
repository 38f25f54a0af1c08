package io.sluice.protocol.bounce;

import io.sluice.protocol.mime.MimePart;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Reads the per-recipient field groups of an RFC 3464 delivery-status body (§2.1, §2.3). */
final class DeliveryStatus {

    /**
     * One recipient's fields. {@code category} is PowerMTA's {@code X-PowerMTA-BounceCategory} (its own
     * verdict, e.g. {@code bad-mailbox}), null when absent.
     */
    record Recipient(String address, String action, String status, String diagnostic, String remoteMta, String category) {}

    /* A report may come in several delivery-status parts (digests of reports); all count. */
    private static final Pattern STATUS = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");
    private static final Pattern INLINE = Pattern.compile("(?im)^(Final|Original)-Recipient:");

    private DeliveryStatus() {}

    /**
     * The recipients reported by the first delivery-status part (message/delivery-status, RFC 6533's
     * message/global-delivery-status, or the text/delivery-status some MTAs use). When there is no
     * such part but the plain text itself carries the fields (some MTAs paste them inline), those.
     */
    static List<Recipient> recipients(MimePart message) {
        List<Recipient> all = new ArrayList<>();
        for (MimePart p : message.flatten()) {
            String t = p.mediaType();
            if (t.equals("message/delivery-status") || t.equals("message/global-delivery-status") || t.equals("text/delivery-status")) {
                all.addAll(parse(new String(p.decodedBody(), StandardCharsets.UTF_8)));
            }
        }
        if (!all.isEmpty()) {
            return all;
        }
        String text = MessageParts.humanText(message);
        if (INLINE.matcher(text).find()) {
            return parse(text);
        }
        return List.of();
    }

    static List<Recipient> parse(String body) {
        List<Recipient> out = new ArrayList<>();
        Group g = null;
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String line : body.split("\r?\n", -1)) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
                value.append(' ').append(line.strip());
                continue;
            }
            if (name != null) {
                g = accept(g, out, name, value.toString().strip());
                name = null;
            }
            if (line.isBlank()) {
                if (g != null && g.hasRecipient()) {
                    out.add(g.build());
                }
                g = null;
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && colon < 40 && line.substring(0, colon).matches("[A-Za-z][A-Za-z0-9-]*")) {
                name = line.substring(0, colon);
                value.setLength(0);
                value.append(line.substring(colon + 1));
            }
        }
        if (name != null) {
            g = accept(g, out, name, value.toString().strip());
        }
        if (g != null && g.hasRecipient()) {
            out.add(g.build());
        }
        return out;
    }

    /* A second Final-Recipient without a blank line between starts a new group (broken MTAs do this). */
    private static Group accept(Group g, List<Recipient> out, String name, String value) {
        String n = name.toLowerCase(Locale.ROOT);
        if (g != null && (n.equals("final-recipient") && g.fin != null || n.equals("original-recipient") && g.orig != null)) {
            out.add(g.build());
            g = null;
        }
        if (g == null) {
            g = new Group();
        }
        switch (n) {
            case "final-recipient" -> g.fin = address(value);
            case "original-recipient" -> g.orig = address(value);
            case "action" -> g.action = value.toLowerCase(Locale.ROOT).split("[\\s(]", 2)[0];
            case "status" -> g.status = STATUS.matcher(value).find() ? STATUS.matcher(value).results().findFirst().get().group() : null;
            case "diagnostic-code" -> g.diagnostic = value;
            case "remote-mta" -> g.remoteMta = stripType(value);
            case "x-powermta-bouncecategory" -> g.category = value.isEmpty() ? null : value.toLowerCase(Locale.ROOT);
            default -> { }
        }
        return g;
    }

    private static String address(String value) {
        String a = stripType(value);
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1).strip();
        }
        return a.isEmpty() ? null : a;
    }

    /* §2.3.2: address-type ";" generic-address; some MTAs omit the type. */
    private static String stripType(String value) {
        int semi = value.indexOf(';');
        return (semi >= 0 ? value.substring(semi + 1) : value).strip();
    }

    private static final class Group {
        String fin;
        String orig;
        String action;
        String status;
        String diagnostic;
        String remoteMta;
        String category;

        boolean hasRecipient() {
            return fin != null || orig != null;
        }

        Recipient build() {
            String a = action == null || action.isEmpty() ? "failed" : action;
            return new Recipient(fin != null ? fin : orig, a, status, diagnostic, remoteMta, category);
        }
    }
}
