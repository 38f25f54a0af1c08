package io.sluice.protocol.spf;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Address;

/**
 * One SPF record parsed by RFC 7208's grammar (§4.6, §5, §6, §12): its directives in order and
 * its {@code redirect} and {@code exp} modifiers. Any syntax error anywhere in the record makes
 * the whole record a permerror (§4.6), so parsing happens before any term is evaluated.
 */
record SpfRecord(List<Directive> directives, Optional<MacroString> redirect, Optional<MacroString> explanation) {

    /** A qualifier (§4.6.2) and what it yields when its mechanism matches. */
    enum Qualifier {
        PASS('+', SpfResult.PASS), FAIL('-', SpfResult.FAIL), SOFTFAIL('~', SpfResult.SOFTFAIL),
        NEUTRAL('?', SpfResult.NEUTRAL);

        final char sign;
        final SpfResult result;

        Qualifier(char sign, SpfResult result) {
            this.sign = sign;
            this.result = result;
        }
    }

    record Directive(Qualifier qualifier, Mechanism mechanism, String text) {}

    /** The eight mechanisms of §5; domain may be absent where the current domain is meant. */
    sealed interface Mechanism {
        /** Whether evaluating it counts against the 10-lookup limit (§4.6.4). */
        default boolean queriesDns() {
            return true;
        }
    }

    record All() implements Mechanism {
        @Override
        public boolean queriesDns() {
            return false;
        }
    }

    record Include(MacroString domain) implements Mechanism {}

    record A(Optional<MacroString> domain, int cidr4, int cidr6) implements Mechanism {}

    record Mx(Optional<MacroString> domain, int cidr4, int cidr6) implements Mechanism {}

    record Ptr(Optional<MacroString> domain) implements Mechanism {}

    record Ip(InetAddress network, int prefix) implements Mechanism {
        @Override
        public boolean queriesDns() {
            return false;
        }
    }

    record Exists(MacroString domain) implements Mechanism {}

    private static final Pattern VERSION = Pattern.compile("(?i)v=spf1(?: .*)?");
    private static final Pattern MODIFIER = Pattern.compile("([a-zA-Z][a-zA-Z0-9_.-]*)=(.*)");
    private static final Pattern MECHANISM = Pattern.compile("([a-zA-Z0-9]+)(.*)");
    private static final Pattern DUAL_CIDR = Pattern.compile("(.*?)(?:/(\\d+))?(?://(\\d+))?");
    private static final Pattern IP4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    /** Whether a TXT record is an SPF record at all (§4.5): "v=spf1" alone or followed by a space. */
    static boolean isSpf(String txt) {
        return VERSION.matcher(txt).matches();
    }

    static SpfRecord parse(String txt) throws SpfSyntaxException {
        if (!isSpf(txt)) {
            throw new SpfSyntaxException("not an SPF record: " + txt);
        }
        List<Directive> directives = new ArrayList<>();
        MacroString redirect = null;
        MacroString exp = null;
        for (String term : txt.substring(6).split(" ")) {
            if (term.isEmpty()) {
                continue; // terms are separated by one or more spaces
            }
            Matcher modifier = MODIFIER.matcher(term);
            if (modifier.matches()) {
                String name = modifier.group(1).toLowerCase(Locale.ROOT);
                String value = modifier.group(2);
                switch (name) {
                    case "redirect" -> {
                        if (redirect != null) {
                            throw new SpfSyntaxException("more than one redirect modifier");
                        }
                        redirect = MacroString.parse(value).requireDomainSpec();
                    }
                    case "exp" -> {
                        if (exp != null) {
                            throw new SpfSyntaxException("more than one exp modifier");
                        }
                        exp = MacroString.parse(value).requireDomainSpec();
                    }
                    default -> MacroString.parse(value, false); // unknown modifiers are ignored (§6) but must parse
                }
                continue;
            }
            directives.add(directive(term));
        }
        return new SpfRecord(List.copyOf(directives), Optional.ofNullable(redirect), Optional.ofNullable(exp));
    }

    private static Directive directive(String term) throws SpfSyntaxException {
        Qualifier qualifier = Qualifier.PASS;
        String rest = term;
        for (Qualifier q : Qualifier.values()) {
            if (term.charAt(0) == q.sign) {
                qualifier = q;
                rest = term.substring(1);
            }
        }
        Matcher m = MECHANISM.matcher(rest);
        if (!m.matches()) {
            throw new SpfSyntaxException("unknown term '" + term + "'");
        }
        String name = m.group(1).toLowerCase(Locale.ROOT);
        String arg = m.group(2);
        Mechanism mechanism = switch (name) {
            case "all" -> {
                if (!arg.isEmpty()) {
                    throw new SpfSyntaxException("'all' takes no argument: '" + term + "'");
                }
                yield new All();
            }
            case "include" -> new Include(requiredDomain(arg, term));
            case "exists" -> new Exists(requiredDomain(arg, term));
            case "a", "mx" -> addressMechanism(name, arg, term);
            case "ptr" -> {
                if (arg.isEmpty()) {
                    yield new Ptr(Optional.empty());
                }
                yield new Ptr(Optional.of(requiredDomain(arg, term)));
            }
            case "ip4" -> ip4(arg, term);
            case "ip6" -> ip6(arg, term);
            default -> throw new SpfSyntaxException("unknown mechanism '" + term + "'");
        };
        return new Directive(qualifier, mechanism, term);
    }

    private static MacroString requiredDomain(String arg, String term) throws SpfSyntaxException {
        if (!arg.startsWith(":") || arg.length() == 1) {
            throw new SpfSyntaxException("'" + term + "' needs ':domain'");
        }
        return MacroString.parse(arg.substring(1)).requireDomainSpec();
    }

    private static Mechanism addressMechanism(String name, String arg, String term) throws SpfSyntaxException {
        Matcher cidr = DUAL_CIDR.matcher(arg);
        if (!cidr.matches()) {
            throw new SpfSyntaxException("bad term '" + term + "'");
        }
        String domainPart = cidr.group(1);
        int cidr4 = cidr.group(2) == null ? 32 : prefix(cidr.group(2), 32, term);
        int cidr6 = cidr.group(3) == null ? 128 : prefix(cidr.group(3), 128, term);
        Optional<MacroString> domain;
        if (domainPart.isEmpty()) {
            domain = Optional.empty();
        } else if (domainPart.startsWith(":") && domainPart.length() > 1) {
            domain = Optional.of(MacroString.parse(domainPart.substring(1)).requireDomainSpec());
        } else {
            throw new SpfSyntaxException("bad term '" + term + "'");
        }
        return name.equals("a") ? new A(domain, cidr4, cidr6) : new Mx(domain, cidr4, cidr6);
    }

    private static Mechanism ip4(String arg, String term) throws SpfSyntaxException {
        if (!arg.startsWith(":")) {
            throw new SpfSyntaxException("'" + term + "' needs ':address'");
        }
        String body = arg.substring(1);
        int slash = body.indexOf('/');
        String address = slash < 0 ? body : body.substring(0, slash);
        int prefix = slash < 0 ? 32 : prefix(body.substring(slash + 1), 32, term);
        Matcher quad = IP4.matcher(address);
        if (!quad.matches()) {
            throw new SpfSyntaxException("bad IPv4 address in '" + term + "'");
        }
        for (int g = 1; g <= 4; g++) {
            if (Integer.parseInt(quad.group(g)) > 255) {
                throw new SpfSyntaxException("bad IPv4 address in '" + term + "'");
            }
        }
        return new Ip(literal(address, Address.IPv4, term), prefix);
    }

    private static Mechanism ip6(String arg, String term) throws SpfSyntaxException {
        if (!arg.startsWith(":")) {
            throw new SpfSyntaxException("'" + term + "' needs ':address'");
        }
        String body = arg.substring(1);
        int slash = body.indexOf('/');
        String address = slash < 0 ? body : body.substring(0, slash);
        int prefix = slash < 0 ? 128 : prefix(body.substring(slash + 1), 128, term);
        if (address.indexOf(':') < 0) {
            throw new SpfSyntaxException("bad IPv6 address in '" + term + "'");
        }
        return new Ip(literal(address, Address.IPv6, term), prefix);
    }

    /* Address.toByteArray parses literals only: no DNS lookup can hide behind a malformed address. */
    private static InetAddress literal(String text, int family, String term) throws SpfSyntaxException {
        byte[] bytes = Address.toByteArray(text, family);
        if (bytes == null) {
            throw new SpfSyntaxException("bad address in '" + term + "'");
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new SpfSyntaxException("bad address in '" + term + "'");
        }
    }

    /* ip4-cidr-length = "/" ("0" / %x31-39 0*1DIGIT): no leading zeros, at most max. */
    private static int prefix(String digits, int max, String term) throws SpfSyntaxException {
        if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)
                || (digits.length() > 1 && digits.charAt(0) == '0')) {
            throw new SpfSyntaxException("bad prefix length in '" + term + "'");
        }
        int n = Integer.parseInt(digits);
        if (n > max) {
            throw new SpfSyntaxException("prefix length over " + max + " in '" + term + "'");
        }
        return n;
    }
}
