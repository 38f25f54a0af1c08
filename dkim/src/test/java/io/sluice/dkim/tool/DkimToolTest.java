package io.sluice.dkim.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.dkim.DkimKey;
import io.sluice.dkim.DnsRecord;
import io.sluice.dkim.KeyGenerator;
import io.sluice.dkim.ToolVerification;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DkimToolTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run run(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = DkimTool.run(args, new ByteArrayInputStream(stdin), new PrintStream(out, true),
                new PrintStream(err, true));
        return new Run(rc, out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.UTF_8));
    }

    /** The TXT value from zone-file syntax: the quoted strings, joined. */
    static String txtFromZoneLine(String out) {
        Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(out);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            assertTrue(m.group(1).length() <= 255);
            sb.append(m.group(1));
        }
        return sb.toString();
    }

    static final byte[] LF_MESSAGE = """
            From: Alice <alice@example.test>
            To: bob@example.net
            Subject: from the tool

            Hello,
            bare LF input.
            """.getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @ValueSource(strings = {"rsa2048", "ed25519"})
    void keygenKeySignsAMessageThatDkimpyVerifiesAgainstThePrintedRecord(String algo) throws Exception {
        Path key = dir.resolve(algo + ".pem");
        Run gen = run(new byte[0], "keygen", "--domain", "example.test", "--selector", "s1", "--algo", algo,
                "--out", key.toString());
        assertEquals(0, gen.exit(), gen.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        String txt = txtFromZoneLine(gen.out());
        assertTrue(DnsRecord.parse(txt).matches(DkimKey.load(key)));

        Run signed = run(LF_MESSAGE, "sign", "--domain", "example.test", "--selector", "s1", "--key", key.toString());
        assertEquals(0, signed.exit(), signed.err());
        byte[] msg = signed.out().getBytes(StandardCharsets.ISO_8859_1);
        ToolVerification.dkimpyPasses(msg, "s1", "example.test", txt);
    }

    @Test
    void signSubcommandRoundTripsWithCanonAndHeaders() throws Exception {
        DkimKey k = KeyGenerator.rsa(1024);
        Path key = dir.resolve("k.pem");
        KeyGenerator.writePem(k, key);
        Run signed = run(LF_MESSAGE, "sign", "--domain", "example.test", "--selector", "s2", "--key", key.toString(),
                "--canon", "simple/simple", "--headers", "from:to:subject:from");
        assertEquals(0, signed.exit(), signed.err());
        assertTrue(signed.out().contains("c=simple/simple;"));
        assertTrue(signed.out().contains("h=from:to:subject:from;"));
        assertTrue(signed.out().contains("\r\nbare LF input.\r\n"), "input normalised to CRLF");
        assertTrue(!signed.out().replace("\r\n", "").contains("\n"), "no bare LF left");
        byte[] msg = signed.out().getBytes(StandardCharsets.ISO_8859_1);
        ToolVerification.bothPass(msg, "s2", "example.test", DnsRecord.of(k).txtValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "frobnicate",
        "keygen --domain example.test --selector s",
        "keygen --domain example.test --selector s --algo rsa512",
        "keygen --domain example.test --selector s --algo ed25519 --bogus x",
        "sign --domain example.test --selector s --key",
        "sign --domain example.test --selector s --key k.pem --canon weird/simple",
        "check --domain example.test --selector s --key k.pem --dns localhost:notaport",
    })
    void badOptionsExitWithUsageAndOneLine(String argLine) throws Exception {
        KeyGenerator.writePem(KeyGenerator.ed25519(), dir.resolve("k.pem"));
        String[] args = argLine.replace("k.pem", dir.resolve("k.pem").toString()).split(" ");
        Run r = run(new byte[0], args);
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void noArgumentsPrintsUsageAndExits2() {
        assertEquals(2, run(new byte[0]).exit());
    }

    @Test
    void missingKeyFileIsExit1NamingTheFile() {
        Path k = dir.resolve("nope.pem");
        Run r = run(LF_MESSAGE, "sign", "--domain", "example.test", "--selector", "s", "--key", k.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains(k + ": file not found"), r.err());
    }

    @Test
    void checkFindsMatchMismatchAndAbsentThroughDns() throws Exception {
        DkimKey k = KeyGenerator.rsa(2048);
        Path key = dir.resolve("k.pem");
        KeyGenerator.writePem(k, key);
        DnsRecord other = DnsRecord.of(KeyGenerator.ed25519());
        int port;
        try (DatagramSocket s = new DatagramSocket(0)) {
            port = s.getLocalPort();
        }
        Process dns = startDnsmasq(port,
                txtRecordArg("good._domainkey.example.test", DnsRecord.of(k).txtStrings()),
                txtRecordArg("other._domainkey.example.test", other.txtStrings()));
        try {
            String server = "127.0.0.1:" + port;
            Run good = runUntilServed("good", key, server);
            assertEquals(0, good.exit(), good.out() + good.err());
            assertTrue(good.out().startsWith("MATCH"), good.out());
            Run mismatch = run(new byte[0], "check", "--domain", "example.test", "--selector", "other", "--key",
                    key.toString(), "--dns", server);
            assertEquals(1, mismatch.exit());
            assertTrue(mismatch.out().startsWith("MISMATCH"), mismatch.out());
            Run absent = run(new byte[0], "check", "--domain", "example.test", "--selector", "none", "--key",
                    key.toString(), "--dns", server);
            assertEquals(1, absent.exit());
            assertTrue(absent.out().startsWith("ABSENT"), absent.out());
        } finally {
            dns.destroy();
            dns.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static Run runUntilServed(String selector, Path key, String server) throws InterruptedException {
        Run r = null;
        // dnsmasq needs a moment to bind, longer on a loaded machine: retry for up to 30 s
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            r = run(new byte[0], "check", "--domain", "example.test", "--selector", selector, "--key", key.toString(),
                    "--dns", server);
            if (r.exit() == 0) {
                return r;
            }
            Thread.sleep(200);
        }
        return r;
    }

    private static String txtRecordArg(String name, List<String> strings) {
        StringBuilder sb = new StringBuilder("--txt-record=").append(name);
        for (String s : strings) {
            sb.append(',').append(s); // argv, no shell: dnsmasq would keep quotes as content
        }
        return sb.toString();
    }

    private static Process startDnsmasq(int port, String... records) throws IOException {
        Path dnsmasq = Path.of("/usr/sbin/dnsmasq");
        if (!Files.isExecutable(dnsmasq)) {
            if ("true".equals(System.getenv("CI"))) {
                org.junit.jupiter.api.Assertions.fail("dnsmasq not installed (Debian package dnsmasq-base): "
                        + "the check test needs a real DNS server in CI");
            }
            Assumptions.abort("dnsmasq not installed (apt-get install -y dnsmasq-base); check needs a DNS server");
        }
        List<String> cmd = new ArrayList<>(List.of(dnsmasq.toString(), "--keep-in-foreground", "--conf-file=/dev/null",
                "--no-resolv", "--no-hosts", "--listen-address=127.0.0.1", "--bind-interfaces", "--port=" + port,
                "--user=" + System.getProperty("user.name"), "--pid-file=", "--local=/example.test/", "--local-ttl=60"));
        cmd.addAll(List.of(records));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }
}
