package io.sluice.dkim.tool;

import io.sluice.dkim.CanonPair;
import io.sluice.dkim.DkimKey;
import io.sluice.dkim.DkimKeyException;
import io.sluice.dkim.DkimSigner;
import io.sluice.dkim.DnsRecord;
import io.sluice.dkim.KeyGenerator;
import io.sluice.dkim.SigningIdentity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** {@code sluice dkim keygen|check|sign}. See the package documentation for exit codes. */
public final class DkimTool {

    static final int OK = 0;
    static final int FAIL = 1;
    static final int USAGE = 2;

    private static final String USAGE_TEXT = """
            usage: sluice dkim keygen --domain D --selector S --algo rsa2048|rsa1024|rsa4096|ed25519 [--out FILE]
                   sluice dkim check  --domain D --selector S --key FILE [--dns host:port]
                   sluice dkim sign   --domain D --selector S --key FILE [--canon relaxed/relaxed] [--headers h1:h2] [--expiry SECONDS] < message > signed""";

    private DkimTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).println(USAGE_TEXT);
            return args.length == 0 ? USAGE : OK;
        }
        String cmd = args[0];
        Map<String, String> opts;
        try {
            opts = options(cmd, Arrays.copyOfRange(args, 1, args.length));
        } catch (UsageException e) {
            err.println("sluice dkim: " + e.getMessage());
            return USAGE;
        }
        try {
            return switch (cmd) {
                case "keygen" -> keygen(opts, out, err);
                case "check" -> check(opts, out, err);
                case "sign" -> sign(opts, in, out, err);
                default -> throw new IllegalStateException(cmd);
            };
        } catch (UsageException e) {
            err.println("sluice dkim " + cmd + ": " + e.getMessage());
            return USAGE;
        } catch (DkimKeyException | IOException | IllegalArgumentException e) {
            err.println("sluice dkim " + cmd + ": " + e.getMessage());
            return FAIL;
        }
    }

    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "keygen", Set.of("--domain", "--selector", "--algo", "--out"),
            "check", Set.of("--domain", "--selector", "--key", "--dns"),
            "sign", Set.of("--domain", "--selector", "--key", "--canon", "--headers", "--expiry"));
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "keygen", List.of("--domain", "--selector", "--algo"),
            "check", List.of("--domain", "--selector", "--key"),
            "sign", List.of("--domain", "--selector", "--key"));

    private static Map<String, String> options(String cmd, String[] args) throws UsageException {
        Set<String> allowed = ALLOWED.get(cmd);
        if (allowed == null) {
            throw new UsageException("unknown command '" + cmd + "' (keygen, check or sign)");
        }
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) { // --opt=value
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            if (!allowed.contains(a)) {
                throw new UsageException("unknown option '" + a + "' for " + cmd);
            }
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new UsageException("option " + a + " needs a value");
                }
                value = args[++i];
            }
            if (opts.put(a, value) != null) {
                throw new UsageException("option " + a + " given twice");
            }
        }
        for (String r : REQUIRED.get(cmd)) {
            if (!opts.containsKey(r)) {
                throw new UsageException("missing " + r + " for " + cmd);
            }
        }
        return opts;
    }

    private static int keygen(Map<String, String> o, PrintStream out, PrintStream err) throws IOException, UsageException {
        DkimKey key = switch (o.get("--algo")) {
            case "rsa1024" -> KeyGenerator.rsa(1024);
            case "rsa2048" -> KeyGenerator.rsa(2048);
            case "rsa4096" -> KeyGenerator.rsa(4096);
            case "ed25519" -> KeyGenerator.ed25519();
            default -> throw new UsageException("--algo must be rsa1024, rsa2048, rsa4096 or ed25519, not '"
                    + o.get("--algo") + "'");
        };
        String domain = o.get("--domain");
        String selector = o.get("--selector");
        SigningIdentity.of(domain, selector, key); // validates the names before a file is written
        Path file = Path.of(o.getOrDefault("--out", selector + "." + domain + ".key.pem"));
        KeyGenerator.writePem(key, file);
        err.println("wrote " + key.algorithm().tag() + " private key (" + key.bits() + " bits, mode 0600) to " + file);
        out.println("; publish this TXT record, then run: sluice dkim check --domain " + domain
                + " --selector " + selector + " --key " + file);
        out.println(DnsRecord.of(key).zoneLine(selector, domain));
        return OK;
    }

    private static int check(Map<String, String> o, PrintStream out, PrintStream err)
            throws DkimKeyException, UsageException {
        DkimKey key = DkimKey.load(Path.of(o.get("--key")));
        String name = DnsRecord.recordName(o.get("--selector"), o.get("--domain")) + ".";
        Lookup lookup;
        try {
            lookup = new Lookup(name, Type.TXT);
        } catch (TextParseException e) {
            throw new UsageException("bad DNS name " + name);
        }
        lookup.setCache(null); // answer from the server now, not from an earlier lookup
        if (o.containsKey("--dns")) {
            lookup.setResolver(resolver(o.get("--dns")));
        }
        Record[] records = lookup.run();
        if (records == null || records.length == 0) {
            out.println("ABSENT: no TXT record at " + name + " (" + lookup.getErrorString() + ")");
            return FAIL;
        }
        String published = null;
        for (Record r : records) {
            // Long records come as several 255-byte strings (§3.6.2.2): join them. The raw bytes, not
            // getStrings(), which returns presentation format with escapes.
            StringBuilder joined = new StringBuilder();
            for (byte[] part : ((TXTRecord) r).getStringsAsByteArrays()) {
                joined.append(new String(part, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            String txt = joined.toString();
            if (txt.contains("p=")) {
                published = txt;
                try {
                    if (DnsRecord.parse(txt).matches(key)) {
                        out.println("MATCH: " + name + " publishes the public half of " + o.get("--key"));
                        return OK;
                    }
                } catch (IllegalArgumentException bad) {
                    out.println("INVALID: " + name + ": " + bad.getMessage());
                    return FAIL;
                }
            }
        }
        if (published == null) {
            out.println("ABSENT: TXT at " + name + " holds no DKIM key record");
            return FAIL;
        }
        out.println("MISMATCH: " + name + " publishes a different key than " + o.get("--key"));
        out.println("  published: " + published);
        out.println("  expected:  " + DnsRecord.of(key).txtValue());
        return FAIL;
    }

    private static Resolver resolver(String hostPort) throws UsageException {
        int colon = hostPort.lastIndexOf(':');
        try {
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            int port = colon < 0 ? 53 : Integer.parseInt(hostPort.substring(colon + 1));
            SimpleResolver r = new SimpleResolver(new InetSocketAddress(host, port));
            r.setTimeout(Duration.ofSeconds(5));
            return r;
        } catch (NumberFormatException e) {
            throw new UsageException("--dns must be host:port, not '" + hostPort + "'");
        }
    }

    private static int sign(Map<String, String> o, InputStream in, PrintStream out, PrintStream err)
            throws DkimKeyException, IOException, UsageException {
        DkimKey key = DkimKey.load(Path.of(o.get("--key")));
        CanonPair canon;
        List<String> headers;
        Duration expiry;
        try {
            canon = CanonPair.parse(o.getOrDefault("--canon", "relaxed/relaxed"));
            headers = o.containsKey("--headers") ? List.of(o.get("--headers").split(":")) : List.of();
            expiry = o.containsKey("--expiry") ? Duration.ofSeconds(Long.parseLong(o.get("--expiry"))) : null;
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        SigningIdentity id = new SigningIdentity(o.get("--domain"), o.get("--selector"), key, canon, headers, expiry);
        byte[] message = toCrlf(in.readAllBytes());
        out.write(new DkimSigner(id).sign(message, Instant.now()));
        out.flush();
        return OK;
    }

    /** Files on disk usually have bare LF; mail on the wire has CRLF (RFC 5322 §2.1). Fix lone LFs. */
    static byte[] toCrlf(byte[] b) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(b.length + b.length / 40);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r')) {
                o.write('\r');
            }
            o.write(b[i]);
        }
        return o.toByteArray();
    }

    private static final class UsageException extends Exception {
        UsageException(String m) {
            super(m);
        }
    }
}
