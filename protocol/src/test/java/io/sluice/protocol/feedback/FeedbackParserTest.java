package io.sluice.protocol.feedback;

import io.sluice.protocol.bounce.Corpora;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeedbackParserTest {

    /*
     * The complaining recipient of each sample, read off the sample by hand: Original-Rcpt-To when
     * present, else Removal-Recipient, else the reported message's X-HmXmrOriginalRecipient or To;
     * null where the provider redacted it ("Undisclosed Recipients").
     */
    private static final Map<String, String> RECIPIENT = Map.ofEntries(
            Map.entry("arf-01.eml", "redacted@example.net"),
            Map.entry("arf-02.eml", "this-local-part-does-not-exist-on-yahoo@yahoo.com"),
            Map.entry("arf-11.eml", ""),
            Map.entry("arf-12.eml", "user@example.com"),
            Map.entry("arf-14.eml", "kijitora@y.example.com"),
            Map.entry("arf-15.eml", ""),
            Map.entry("arf-16.eml", "kijitora@example.com"),
            Map.entry("arf-17.eml", "kijitora@example.com"),
            Map.entry("arf-18.eml", "kijitora@example.com"),
            Map.entry("arf-19.eml", "kijitora@example.org"),
            Map.entry("arf-20.eml", "kijitora@example.org"),
            Map.entry("arf-21.eml", "kijitora@example.org"),
            Map.entry("arf-22.eml", "kijitora@example.com"),
            Map.entry("arf-23.eml", "kijitora@example.com"),
            Map.entry("arf-24.eml", "kijitora@example.com"),
            Map.entry("arf-25.eml", "hashed@example.com"),
            Map.entry("arf-26.eml", "example@icloud.com"),
            Map.entry("lhost-amazonses-11.eml", "complaint@simulator.amazonses.com"));

    private final FeedbackParser parser = new FeedbackParser();

    @Test
    void everyArfSampleYieldsItsFeedbackTypeAndRecipient() throws IOException {
        Path dir = Corpora.root().resolve("arf");
        List<String> index = Files.readAllLines(dir.resolve("index.tsv"));
        assertEquals(RECIPIENT.size(), index.size() - 1, "index.tsv and the expectations list the same samples");
        for (String line : index.subList(1, index.size())) {
            String[] f = line.split("\t", -1);
            String file = f[0];
            Optional<FeedbackReport> report = parser.parse(Files.readAllBytes(dir.resolve(file)));
            assertTrue(report.isPresent(), file + " is a report");
            assertEquals(f[1], report.get().feedbackType(), file);
            String expected = RECIPIENT.get(file);
            assertEquals(expected.isEmpty() ? null : expected, report.get().recipient(), file);
            if (!f[7].isEmpty()) {
                // RFC 5965 §3.2: Original-Rcpt-To may repeat; every one is a complainer.
                assertEquals(List.of(f[7].split(";")), report.get().recipients(), file);
            }
        }
    }

    @Test
    void rfc5965ReportKeepsFieldsAndTheOriginalHeaders() {
        String arf = """
                From: fbl@isp.example
                To: abuse@sender.example
                Subject: FW: spam
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=feedback-report; boundary="b"

                --b
                Content-Type: text/plain

                This is an email abuse report.
                --b
                Content-Type: message/feedback-report

                Feedback-Type: abuse
                User-Agent: SomeGenerator/1.0
                Version: 1
                Original-Mail-From: <bounce@sender.example>
                Original-Rcpt-To: <victim@isp.example>
                Arrival-Date: Thu, 8 Mar 2005 14:00:00 EDT
                Reported-Domain: sender.example
                Source-IP: 192.0.2.1

                --b
                Content-Type: text/rfc822-headers

                From: <news@sender.example>
                To: <victim@isp.example>
                Message-ID: <abc@sender.example>
                X-Sluice-Trace: 42

                --b--
                """.replace("\n", "\r\n");
        FeedbackReport r = parser.parse(arf.getBytes(StandardCharsets.US_ASCII)).orElseThrow();
        assertEquals("abuse", r.feedbackType());
        assertEquals("victim@isp.example", r.recipient());
        assertEquals("192.0.2.1", r.fields().get("source-ip"), "field names are case-insensitive");
        assertEquals("sender.example", r.fields().get("Reported-Domain"));
        assertTrue(new String(r.originalHeaders(), StandardCharsets.US_ASCII).contains("X-Sluice-Trace: 42"));
    }

    @Test
    void malformedReportsAreNotReportsAndNeverThrow() {
        List<String> inputs = List.of(
                "",
                "garbage\u0000\u0001\u0002",
                "Content-Type: multipart/report; report-type=feedback-report; boundary=x\r\n\r\n--x\r\nContent-Type: message/feedback-report\r\n\r\nUser-Agent: x\r\n",
                "Content-Type: multipart/report; report-type=feedback-report; boundary=x\r\n\r\n--x\r\nContent-Type: message/feedback-rep",
                "Subject: hello\r\n\r\n{\"notificationType\":\"Complaint\",\"complaint\":",
                "Subject: hello\r\n\r\n{\"notificationType\":" + "[".repeat(5000));
        for (String s : inputs) {
            assertTrue(parser.parse(s.getBytes(StandardCharsets.ISO_8859_1)).isEmpty(), s.length() > 60 ? s.substring(0, 60) : s);
        }
        assertTrue(parser.parse((byte[]) null).isEmpty());
        assertArrayEquals(new byte[0], new FeedbackReport("abuse", null, Map.of(), null).originalHeaders());
    }
}
