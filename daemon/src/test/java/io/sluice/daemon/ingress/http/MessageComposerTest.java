package io.sluice.daemon.ingress.http;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MIME shape of a structured message: each body sent as what it is. */
class MessageComposerTest {

    private static MimeMessage compose(String text, String html) throws Exception {
        InjectionRequest.Structured content = new InjectionRequest.Structured("a@src.test", null, "hi", text, html,
                Map.of(), List.of());
        byte[] bytes = new MessageComposer(content, Map.of(), "mta.test", 1_000_000).compose(null);
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
    }

    @Test
    void anHtmlOnlyMessageIsTextHtml() throws Exception {
        MimeMessage m = compose(null, "<html><body><p>news</p></body></html>");
        assertTrue(m.isMimeType("text/html"), m.getContentType());
        assertEquals("<html><body><p>news</p></body></html>", ((String) m.getContent()).strip());
    }

    @Test
    void aTextOnlyMessageIsTextPlain() throws Exception {
        MimeMessage m = compose("news", null);
        assertTrue(m.isMimeType("text/plain"), m.getContentType());
    }

    @Test
    void textAndHtmlAreAlternativesWithTheHtmlLast() throws Exception {
        MimeMessage m = compose("news", "<p>news</p>");
        assertTrue(m.isMimeType("multipart/alternative"), m.getContentType());
        jakarta.mail.Multipart parts = (jakarta.mail.Multipart) m.getContent();
        assertTrue(parts.getBodyPart(0).isMimeType("text/plain"));
        assertTrue(parts.getBodyPart(1).isMimeType("text/html"));
    }
}
