package io.sluice.daemon.ingress.http;

import io.sluice.daemon.http.InvalidParam;

import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestParserTest {

    private static JsonNode obj(Object... kv) {
        java.util.LinkedHashMap<String, JsonNode> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            m.put((String) kv[i], v instanceof JsonNode n ? n : v instanceof Number num
                    ? JsonNode.createNumberNode(num.intValue()) : JsonNode.createStringNode((String) v));
        }
        return JsonNode.createObjectNode(m);
    }

    private static JsonNode arr(JsonNode... items) {
        return JsonNode.createArrayNode(List.of(items));
    }

    private static JsonNode valid(Object... extra) {
        Object[] base = {"envelope_sender", "a@src.test",
                "recipients", arr(obj("email", "b@x.test", "name", "Bé")),
                "content", obj("from", "A <a@src.test>", "subject", "Hi {{name}}", "text_body", "t")};
        Object[] all = new Object[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return obj(all);
    }

    private static List<InvalidParam> faults(JsonNode root, int max) {
        return assertThrows(InvalidRequestException.class, () -> RequestParser.parse(root, max)).params();
    }

    @Test
    void aValidRequestParses() throws Exception {
        InjectionRequest r = RequestParser.parse(valid("campaign", "spring", "send_at", "2026-12-01T09:00:00Z"), 10);
        assertEquals("b@x.test", r.recipients().get(0).email());
        assertInstanceOf(InjectionRequest.Structured.class, r.content());
        assertEquals("spring", r.campaign());
        assertTrue(r.personalised(), "a recipient with a name gets its own message");
    }

    @Test
    void everyFaultIsNamedByItsPath() {
        JsonNode root = obj("envelope_sender", 5,
                "recipients", arr(obj("email", "ok@x.test"), obj("email", "bad@@x"), obj("mail", "x@y.test")),
                "content", obj("from", "a@src.test", "subject", "s\r\nBcc: e@evil.test", "text_body", "t",
                        "attachments", arr(obj("file_name", "f", "content_type", "text/plain", "base64_data", "@@@"))),
                "colour", "red");
        List<String> names = faults(root, 10).stream().map(InvalidParam::name).toList();
        assertTrue(names.containsAll(List.of("envelope_sender", "recipients[1].email", "recipients[2].mail",
                "recipients[2].email", "content.subject", "content.attachments[0].base64_data", "colour")), names.toString());
    }

    @Test
    void recipientCountsOutsideTheLimitsAreRefused() {
        assertEquals("recipients", faults(obj("envelope_sender", "a@src.test",
                "recipients", arr(), "content", "From: a@src.test\r\n\r\nx\r\n"), 10).get(0).name());
        JsonNode three = obj("envelope_sender", "a@src.test",
                "recipients", arr(obj("email", "a@x.test"), obj("email", "b@x.test"), obj("email", "c@x.test")),
                "content", "From: a@src.test\r\n\r\nx\r\n");
        assertTrue(faults(three, 2).get(0).reason().startsWith("at most 2"));
    }

    @Test
    void reservedHeadersCannotBeSetThroughHeaders() {
        JsonNode root = obj("envelope_sender", "a@src.test", "recipients", arr(obj("email", "b@x.test")),
                "content", obj("from", "a@src.test", "subject", "s", "text_body", "t",
                        "headers", obj("Bcc", "e@evil.test", "X-Ok", "fine")));
        assertEquals(List.of(new InvalidParam("content.headers.Bcc", "set by Sluice; use the matching content field")),
                faults(root, 10));
    }

    @Test
    void substitutionsBecomePlainValuesForTheTemplates() throws Exception {
        InjectionRequest r = RequestParser.parse(valid("substitutions", obj("n", 3, "shop", "Ex")), 10);
        assertEquals(Map.of("n", 3, "shop", "Ex"), r.substitutions());
    }
}
