package io.sluice.protocol.bounce.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BounceToolTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int status, List<JsonNode> lines, String err) {}

    private static Run run(String stdin, String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BounceTool.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String l : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!l.isBlank()) {
                lines.add(JSON.readTree(l));
            }
        }
        return new Run(status, lines, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void classifiesReplyLines(@TempDir Path dir) throws IOException {
        Path replies = dir.resolve("replies.txt");
        Files.writeString(replies, "550 5.1.1 <a@example.com>: User unknown\n\n421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred\n"
                + "not a reply at all \"quoted\" \\ backslash\n");
        Run r = run("", "classify", "--replies", replies.toString());
        assertEquals(0, r.status());
        assertEquals(3, r.lines().size());
        JsonNode first = r.lines().get(0);
        assertEquals("bad-mailbox", first.get("category").asText());
        assertEquals("userunknown", first.get("reason").asText());
        assertTrue(first.get("hard").asBoolean());
        assertEquals("5.1.1", first.get("status").asText());
        assertEquals(550, first.get("reply_code").asInt());
        assertTrue(first.get("recipient").isNull());
        assertFalse(r.lines().get(1).get("hard").asBoolean());
        assertTrue(r.lines().get(2).get("reply_code").isNull());
    }

    @Test
    void classifiesBounceMailsOneLinePerRecipient(@TempDir Path dir) throws IOException {
        Path bounce = dir.resolve("b.eml");
        Files.writeString(bounce, "From: MAILER-DAEMON@mx.example.org\r\nSubject: failure notice\r\n\r\n"
                + "<alice@example.org>:\r\nRemote host said: 550 5.1.1 user unknown\r\n\r\n"
                + "<bob@example.org>:\r\nRemote host said: 552 5.2.2 mailbox full\r\n");
        Path human = dir.resolve("h.eml");
        Files.writeString(human, "From: someone@example.com\r\nSubject: hi\r\n\r\nhello\r\n");
        Run r = run("", "classify", bounce.toString(), human.toString());
        assertEquals(0, r.status());
        assertEquals(3, r.lines().size());
        assertEquals("alice@example.org", r.lines().get(0).get("recipient").asText());
        assertEquals(bounce.toString(), r.lines().get(0).get("file").asText());
        assertEquals("quota-issues", r.lines().get(1).get("category").asText());
        JsonNode not = r.lines().get(2);
        assertFalse(not.get("bounce").asBoolean());
        assertTrue(not.get("category").isNull());
        assertEquals("not-bounce", not.get("kind").asText());
    }

    @Test
    void readsStandardInputForDash() throws IOException {
        Run r = run("From: x@example.com\r\nSubject: Automatic reply: hi\r\nAuto-Submitted: auto-replied\r\n\r\naway\r\n", "classify", "-");
        assertEquals("auto-reply", r.lines().get(0).get("kind").asText());
        assertEquals("vacation", r.lines().get(0).get("reason").asText());
    }

    @Test
    void unknownOptionIsAOneLineErrorWithStatus2() throws IOException {
        Run r = run("", "classify", "--frobnicate", "x.eml");
        assertEquals(2, r.status());
        assertTrue(r.lines().isEmpty());
        assertEquals(1, r.err().strip().lines().count());
        assertTrue(r.err().contains("--frobnicate"));
        assertEquals(2, run("").status());
        assertEquals(2, run("", "classify").status());
    }

    @Test
    void unreadableFileIsReportedAndTheRestStillRuns(@TempDir Path dir) throws IOException {
        Path ok = dir.resolve("ok.eml");
        Files.writeString(ok, "Subject: x\r\n\r\ny\r\n");
        Run r = run("", "classify", dir.resolve("missing.eml").toString(), ok.toString());
        assertEquals(1, r.status());
        assertEquals(1, r.lines().size());
        assertTrue(r.err().contains("missing.eml"));
    }
}
