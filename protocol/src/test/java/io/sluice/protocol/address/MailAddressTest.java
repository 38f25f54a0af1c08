package io.sluice.protocol.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MailAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "user@example.test",
            "first.last@example.test",
            "a@b",
            "x@localhost",
            "user+tag@sub.example.test",
            "!#$%&'*+-/=?^_`{|}~@example.test",
            "0@0.0.test",
            "\"quoted string\"@example.test",
            "\"with\\\"escaped quote\"@example.test",
            "\"a@b\"@example.test",
            "\"..\"@example.test",
            "\"\"@example.test",
            "user@[192.0.2.1]",
            "user@[255.255.255.255]",
            "user@[IPv6:2001:db8::1]",
            "user@[IPv6:::1]",
            "user@[IPv6:1:2:3:4:5:6:7:8]",
            "user@[IPv6:::ffff:192.0.2.1]",
            "user@[IPv6:1:2:3:4:5:6:192.0.2.1]",
            "user@a-b.example.test",
            "user@xn--bcher-kva.test",
    })
    void validAsciiAddresses(String address) throws Exception {
        MailAddress parsed = MailAddress.parse(address);
        assertEquals(address.substring(0, address.lastIndexOf('@')), parsed.localPart());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "plainaddress",
            "@example.test",
            "user@",
            "user@@example.test",
            "a@b@example.test",
            ".user@example.test",
            "user.@example.test",
            "us..er@example.test",
            "us er@example.test",
            "user@exa mple.test",
            "user@-example.test",
            "user@example-.test",
            "user@example..test",
            "user@.example.test",
            "user@example.test.",
            "user@exa_mple.test",
            "us(er@example.test",
            "us\"er@example.test",
            "\"unterminated@example.test",
            "\"bad\"x@example.test",
            "\"tab\there\"@example.test",
            "\"nul\u0000\"@example.test",
            "\"lone\\\"@example.test",
            "user\r\n@example.test",
            "user@[192.0.2.256]",
            "user@[192.0.2]",
            "user@[1.2.3.4.5]",
            "user@[01234.2.3.4]",
            "user@[IPv6:2001:db8::1::2]",
            "user@[IPv6:1:2:3:4:5:6:7:8:9]",
            "user@[IPv6:1:2:3:4:5:6:7::8]",
            "user@[IPv6:12345::1]",
            "user@[IPv6:g::1]",
            "user@[IPv6:1:2:3:4:5:6:7:1.2.3.4]",
            "user@[x-tag:foo]",
            "user@[192.0.2.1",
            "user@[]",
    })
    void invalidAsciiAddresses(String address) {
        assertThrows(AddressSyntaxException.class, () -> MailAddress.parse(address));
    }

    @Test
    void messagesSayWhatIsWrong() {
        assertMessage("user", "missing '@'");
        assertMessage("us..er@example.test", "'..'");
        assertMessage("user@example..test", "empty domain label");
        assertMessage("user@exa_mple.test", "'_'");
        assertMessage("user@[192.0.2.999]", "IPv4");
        assertMessage("j\u00f6rg@example.test", "SMTPUTF8");
    }

    @Test
    void domainIsLowerCasedLocalPartKept() throws Exception {
        MailAddress a = MailAddress.parse("John.Doe@Example.TEST");
        assertEquals("John.Doe", a.localPart());
        assertEquals("example.test", a.domain());
        assertEquals("John.Doe@example.test", a.toString());
        assertEquals("user@[IPv6:2001:db8::1]", MailAddress.parse("user@[ipv6:2001:DB8::1]").toString());
        assertTrue(MailAddress.parse("user@[192.0.2.1]").isAddressLiteral());
    }

    @Test
    void lengthLimitsAreCountedInOctets() throws Exception {
        String local64 = "a".repeat(64);
        MailAddress.parse(local64 + "@example.test");
        assertMessage(local64 + "a@example.test", "local part longer than 64");

        String label63 = "b".repeat(63);
        MailAddress.parse("u@" + label63 + ".test");
        assertMessage("u@" + label63 + "b.test", "label longer than 63");

        // 4 labels of 63 + 3 dots = 255 octets: a legal domain, but the mailbox would exceed 254.
        String domain255 = String.join(".", label63, label63, label63, label63.substring(0, 63));
        assertEquals(255, domain255.length());
        assertMessage("u@" + domain255, "longer than 254");
        assertMessage("u@" + domain255 + "x", "domain longer than 255");

        // 32 two-octet characters are 64 octets; 33 are 66 even though the string has 33 chars.
        String e32 = "\u00e9".repeat(32);
        assertEquals(64, e32.getBytes(StandardCharsets.UTF_8).length);
        MailAddress.parse(e32 + "@example.test", true);
        assertThrows(AddressSyntaxException.class, () -> MailAddress.parse(e32 + "\u00e9@example.test", true));
    }

    @Test
    void utf8NeedsTheSmtpUtf8Flag() throws Exception {
        String[] international = {
                "j\u00f6rg@example.test",
                "\u7528\u6237@\u4f8b\u5b50.test",
                "user@b\u00fccher.test",
                "\"\u00e9t\u00e9 quoted\"@example.test",
                "\u0441\u0435\u0440\u0433\u0435\u0439@\u043f\u0440\u0438\u043c\u0435\u0440.test",
                "emoji\uD83D\uDE00@example.test",
        };
        for (String address : international) {
            AddressSyntaxException refused = assertThrows(AddressSyntaxException.class, () -> MailAddress.parse(address),
                    address);
            assertTrue(refused.getMessage().contains("SMTPUTF8"), refused.getMessage());
            MailAddress parsed = MailAddress.parse(address, true);
            assertTrue(parsed.needsSmtpUtf8());
        }
        assertFalse(MailAddress.parse("plain@example.test", true).needsSmtpUtf8());
        assertEquals("b\u00fccher.test", MailAddress.parse("user@B\u00dcCHER.test", true).domain());
    }

    @Test
    void malformedUnicodeAndControlsAreRefusedEvenWithSmtpUtf8() {
        String[] bad = {
                "lone\uD83D@example.test",
                "lone\uDE00@example.test",
                "c1\u0085control@example.test",
                "user@exa\u0000mple.test",
                "user@-\u00fc.test",
                "\u00a0@example.test".replace('\u00a0', '\u0080'),
        };
        for (String address : bad) {
            assertThrows(AddressSyntaxException.class, () -> MailAddress.parse(address, true), address);
        }
    }

    private static void assertMessage(String address, String expected) {
        AddressSyntaxException e = assertThrows(AddressSyntaxException.class, () -> MailAddress.parse(address));
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should mention " + expected);
        assertEquals(address, e.address());
    }
}
