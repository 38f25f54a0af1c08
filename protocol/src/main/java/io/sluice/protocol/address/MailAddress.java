package io.sluice.protocol.address;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A syntactically valid mailbox ({@code local-part@domain}).
 *
 * @param localPart the local part exactly as written, quotes and escapes included, case kept
 * @param domain    the domain lower-cased, or an address literal such as {@code [192.0.2.1]} or
 *                  {@code [IPv6:2001:db8::1]}
 */
public record MailAddress(String localPart, String domain) {

    /* RFC 5321 §4.5.3.1.1-3 limits, in octets. A path is at most 256 octets including "<" and ">". */
    static final int MAX_LOCAL_PART = 64;
    static final int MAX_DOMAIN = 255;
    static final int MAX_LABEL = 63;
    static final int MAX_MAILBOX = 254;

    /** Parses an ASCII-only address (no SMTPUTF8). */
    public static MailAddress parse(String address) throws AddressSyntaxException {
        return parse(address, false);
    }

    /**
     * Parses an RFC 5321 Mailbox.
     *
     * @param smtpUtf8Allowed whether UTF-8 local parts and U-label domains are allowed, i.e. the
     *                        transaction uses SMTPUTF8 (RFC 6531 §3.3)
     */
    public static MailAddress parse(String address, boolean smtpUtf8Allowed) throws AddressSyntaxException {
        if (address == null || address.isEmpty()) {
            throw new AddressSyntaxException(String.valueOf(address), "empty address");
        }
        checkWellFormedUnicode(address);
        int at = localPartEnd(address);
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        checkLocalPart(address, local, smtpUtf8Allowed);
        String normalisedDomain = domain.startsWith("[")
                ? addressLiteral(address, domain)
                : domain(address, domain, smtpUtf8Allowed);
        if (octets(local) + 1 + octets(normalisedDomain) > MAX_MAILBOX) {
            throw new AddressSyntaxException(address, "address longer than " + MAX_MAILBOX + " octets");
        }
        return new MailAddress(local, normalisedDomain);
    }

    /** True when the domain is an address literal rather than a name. */
    public boolean isAddressLiteral() {
        return domain.startsWith("[");
    }

    /** True when either part needs SMTPUTF8 to be sent. */
    public boolean needsSmtpUtf8() {
        return !isAscii(localPart) || !isAscii(domain);
    }

    /** True when an address kept as text (an envelope's sender or recipient) needs SMTPUTF8 to be sent. */
    public static boolean needsSmtpUtf8(String address) {
        return !isAscii(address);
    }

    @Override
    public String toString() {
        return localPart + "@" + domain;
    }

    /* The '@' that separates the parts: after the closing quote of a Quoted-string, else the first. */
    private static int localPartEnd(String address) throws AddressSyntaxException {
        int i = 0;
        if (address.charAt(0) == '"') {
            i = 1;
            while (true) {
                if (i >= address.length()) {
                    throw new AddressSyntaxException(address, "unterminated quoted local part");
                }
                char c = address.charAt(i);
                if (c == '\\') {
                    i += 2;
                } else if (c == '"') {
                    i++;
                    break;
                } else {
                    i++;
                }
            }
            if (i >= address.length() || address.charAt(i) != '@') {
                throw new AddressSyntaxException(address, "expected '@' after the quoted local part");
            }
            return i;
        }
        int at = address.indexOf('@');
        if (at < 0) {
            throw new AddressSyntaxException(address, "missing '@'");
        }
        return at;
    }

    private static void checkLocalPart(String address, String local, boolean utf8) throws AddressSyntaxException {
        if (local.isEmpty()) {
            throw new AddressSyntaxException(address, "empty local part");
        }
        if (octets(local) > MAX_LOCAL_PART) {
            throw new AddressSyntaxException(address, "local part longer than " + MAX_LOCAL_PART + " octets");
        }
        if (local.charAt(0) == '"') {
            checkQuotedString(address, local, utf8);
        } else {
            checkDotString(address, local, utf8);
        }
    }

    /* Dot-string = Atom *("." Atom); Atom = 1*atext (RFC 5321 §4.1.2, RFC 6531 §3.3 adds UTF-8). */
    private static void checkDotString(String address, String local, boolean utf8) throws AddressSyntaxException {
        if (local.startsWith(".") || local.endsWith(".")) {
            throw new AddressSyntaxException(address, "local part starts or ends with '.'");
        }
        if (local.contains("..")) {
            throw new AddressSyntaxException(address, "local part contains '..' (quote it to use it)");
        }
        for (int i = 0; i < local.length(); ) {
            int cp = local.codePointAt(i);
            if (cp != '.' && !isAtext(cp)) {
                if (cp >= 0x80 && !utf8) {
                    throw new AddressSyntaxException(address, "non-ASCII local part needs SMTPUTF8");
                }
                if (cp < 0x80 || !isUtf8NonAscii(cp)) {
                    throw new AddressSyntaxException(address,
                            "character " + describe(cp) + " not allowed in an unquoted local part");
                }
            }
            i += Character.charCount(cp);
        }
    }

    /* Quoted-string: qtextSMTP = %d32-33 / %d35-91 / %d93-126; quoted-pairSMTP = "\" %d32-126. */
    private static void checkQuotedString(String address, String local, boolean utf8) throws AddressSyntaxException {
        for (int i = 1; i < local.length() - 1; ) {
            int cp = local.codePointAt(i);
            if (cp == '\\') {
                int next = i + 1 < local.length() - 1 ? local.charAt(i + 1) : -1;
                if (next < 32 || next > 126) {
                    throw new AddressSyntaxException(address, "backslash in quoted local part must escape a printable ASCII character");
                }
                i += 2;
                continue;
            }
            if (cp == '"') {
                throw new AddressSyntaxException(address, "unescaped '\"' inside quoted local part");
            }
            if (cp >= 0x80) {
                if (!utf8) {
                    throw new AddressSyntaxException(address, "non-ASCII local part needs SMTPUTF8");
                }
                if (!isUtf8NonAscii(cp)) {
                    throw new AddressSyntaxException(address, "character " + describe(cp) + " not allowed in a quoted local part");
                }
            } else if (cp < 32 || cp == 127) {
                throw new AddressSyntaxException(address, "control character " + describe(cp) + " in quoted local part");
            }
            i += Character.charCount(cp);
        }
    }

    /* Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str] (RFC 5321 §4.1.2). */
    private static String domain(String address, String domain, boolean utf8) throws AddressSyntaxException {
        if (domain.isEmpty()) {
            throw new AddressSyntaxException(address, "empty domain");
        }
        if (octets(domain) > MAX_DOMAIN) {
            throw new AddressSyntaxException(address, "domain longer than " + MAX_DOMAIN + " octets");
        }
        if (domain.endsWith(".")) {
            throw new AddressSyntaxException(address, "domain ends with '.'");
        }
        for (String label : domain.split("\\.", -1)) {
            checkLabel(address, label, utf8);
        }
        return domain.toLowerCase(Locale.ROOT);
    }

    private static void checkLabel(String address, String label, boolean utf8) throws AddressSyntaxException {
        if (label.isEmpty()) {
            throw new AddressSyntaxException(address, "empty domain label");
        }
        if (octets(label) > MAX_LABEL) {
            throw new AddressSyntaxException(address, "domain label longer than " + MAX_LABEL + " octets: " + label);
        }
        if (label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
            throw new AddressSyntaxException(address, "domain label starts or ends with '-': " + label);
        }
        boolean ascii = true;
        for (int i = 0; i < label.length(); ) {
            int cp = label.codePointAt(i);
            if (cp >= 0x80) {
                ascii = false;
            } else if (!isLetDig(cp) && cp != '-') {
                throw new AddressSyntaxException(address, "character " + describe(cp) + " not allowed in a domain");
            }
            i += Character.charCount(cp);
        }
        if (!ascii) {
            if (!utf8) {
                throw new AddressSyntaxException(address, "non-ASCII domain needs SMTPUTF8 (or send its A-label)");
            }
            // RFC 6531 §3.3: sub-domain =/ U-label; its A-label must also fit in a DNS label.
            String aLabel;
            try {
                aLabel = IDN.toASCII(label, IDN.USE_STD3_ASCII_RULES);
            } catch (IllegalArgumentException e) {
                throw new AddressSyntaxException(address, "not a valid U-label: " + label);
            }
            if (aLabel.length() > MAX_LABEL) {
                throw new AddressSyntaxException(address, "A-label of " + label + " longer than " + MAX_LABEL + " octets");
            }
        }
    }

    /* address-literal = "[" ( IPv4-address-literal / IPv6-address-literal ) "]" (RFC 5321 §4.1.3).
       General-address-literal has no registered tag besides IPv6, so it is refused. */
    private static String addressLiteral(String address, String literal) throws AddressSyntaxException {
        if (!literal.endsWith("]") || literal.length() < 3) {
            throw new AddressSyntaxException(address, "address literal lacks closing ']'");
        }
        String inner = literal.substring(1, literal.length() - 1);
        if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
            String v6 = inner.substring(5);
            if (!AddressLiterals.isIpv6(v6)) {
                throw new AddressSyntaxException(address, "invalid IPv6 address literal");
            }
            return "[IPv6:" + v6.toLowerCase(Locale.ROOT) + "]";
        }
        if (!AddressLiterals.isIpv4(inner)) {
            throw new AddressSyntaxException(address, "invalid IPv4 address literal");
        }
        return literal;
    }

    /* atext (RFC 5322 §3.2.3, referenced by RFC 5321 §4.1.2). */
    private static boolean isAtext(int c) {
        return isLetDig(c) || (c < 0x80 && "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0);
    }

    private static boolean isLetDig(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /* UTF8-non-ascii (RFC 6532 §3.1), minus C1 controls which no mailbox should carry. */
    private static boolean isUtf8NonAscii(int cp) {
        return cp >= 0xA0 && !Character.isISOControl(cp);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    static int octets(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String describe(int cp) {
        return cp >= 0x21 && cp < 0x7f ? "'" + (char) cp + "'" : String.format("U+%04X", cp);
    }

    /* Rejects lone surrogates: they cannot be encoded as UTF-8 and would be mangled on the wire. */
    private static void checkWellFormedUnicode(String address) throws AddressSyntaxException {
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= address.length() || !Character.isLowSurrogate(address.charAt(i + 1))) {
                    throw new AddressSyntaxException(address, "malformed UTF-16 (lone surrogate)");
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw new AddressSyntaxException(address, "malformed UTF-16 (lone surrogate)");
            }
        }
    }
}
