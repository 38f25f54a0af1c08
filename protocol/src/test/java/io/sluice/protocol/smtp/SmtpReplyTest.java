package io.sluice.protocol.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpReplyTest {

    @Test
    void singleLineWithEnhancedCode() {
        SmtpReply r = SmtpReply.parse("550 5.1.1 <x@y.test>: Recipient address rejected");
        assertEquals(550, r.code());
        assertEquals("5.1.1", r.enhancedCode());
        assertEquals("<x@y.test>: Recipient address rejected", r.text());
        assertEquals("550 5.1.1 <x@y.test>: Recipient address rejected", r.toString());
        assertTrue(r.isPermanent());
        assertFalse(r.isTransient());
        assertFalse(r.isPositive());
    }

    @Test
    void multilineRepliesAreJoinedAndRepeatedEnhancedCodesDropped() {
        SmtpReply r = SmtpReply.parse(List.of(
                "550-5.1.1 The email account that you tried to reach does not exist. Please try",
                "550-5.1.1 double-checking the recipient's email address for typos or",
                "550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser"));
        assertEquals("5.1.1", r.enhancedCode());
        assertEquals("The email account that you tried to reach does not exist. Please try "
                + "double-checking the recipient's email address for typos or "
                + "unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser", r.text());
    }

    @Test
    void enhancedCodeOnlyWhenClassMatchesTheReply() {
        assertNull(SmtpReply.parse("250 4.1.1 odd").enhancedCode());
        assertEquals("4.1.1 odd", SmtpReply.parse("250 4.1.1 odd").text());
        assertNull(SmtpReply.parse("550 5.1 short").enhancedCode());
        assertNull(SmtpReply.parse("550 5.1.1234 too long detail").enhancedCode());
        assertNull(SmtpReply.parse("354 End data with <CR><LF>.<CR><LF>").enhancedCode());
        assertEquals("4.7.28", SmtpReply.parse("421 4.7.28 Gmail has detected").enhancedCode());
        assertEquals("2.0.0", SmtpReply.parse("250 2.0.0").enhancedCode());
        assertEquals("", SmtpReply.parse("250 2.0.0").text());
    }

    @Test
    void codeOnlyAndEmptyTextLinesAreAccepted() {
        assertEquals(new SmtpReply(250, null, ""), SmtpReply.parse("250"));
        assertEquals(new SmtpReply(250, null, "mx.test PIPELINING"),
                SmtpReply.parse(List.of("250-mx.test", "250-PIPELINING", "250 ")));
    }

    @Test
    void classes() {
        assertTrue(SmtpReply.parse("250 ok").isPositive());
        assertTrue(SmtpReply.parse("354 go").isPositive());
        assertTrue(SmtpReply.parse("451 4.3.0 later").isTransient());
        assertTrue(SmtpReply.parse("554 no").isPermanent());
    }

    @Test
    void malformedRepliesAreRefusedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> SmtpReply.parse(List.of()));
        assertThrows(IllegalArgumentException.class, () -> SmtpReply.parse("25"));
        assertThrows(IllegalArgumentException.class, () -> SmtpReply.parse("abc hello"));
        assertThrows(IllegalArgumentException.class, () -> SmtpReply.parse("150 not smtp"));
        assertThrows(IllegalArgumentException.class, () -> SmtpReply.parse("250_bad separator"));
        assertThrows(IllegalArgumentException.class, () -> SmtpReply.parse("250-continued but last"));
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                () -> SmtpReply.parse(List.of("250-a", "550 b")));
        assertTrue(mixed.getMessage().contains("mixes codes"), mixed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SmtpReply.parse(List.of("250 a", "250 b")));
        assertThrows(IllegalArgumentException.class, () -> SmtpReply.of(550, "4.1.1", "x"));
    }

    @Test
    void ofBuildsTheSameValue() {
        assertEquals(SmtpReply.parse("421 4.3.2 shutting down"), SmtpReply.of(421, "4.3.2", "shutting down"));
        assertEquals("421 shutting down", SmtpReply.of(421, null, "shutting down").toString());
    }
}
