package io.sluice.daemon.ingress.http;

import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;
import java.util.List;
import java.util.Map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two things an HTTP request may not do, each refused with the field at fault: set an
 * {@code X-Sluice-*} header (those are instructions to Sluice: tenant, pool, class, the bounce
 * trace), and send to an address literal (the delivery path routes by domain only, so such mail
 * would be accepted and then bounced).
 */
class RequestParserRefusalsTest {

    private static JsonNode request(JsonNode recipientEmail, JsonNode headers) {
        java.util.Map<String, JsonNode> content = new java.util.LinkedHashMap<>();
        content.put("from", JsonNode.createStringNode("a@src.test"));
        content.put("subject", JsonNode.createStringNode("s"));
        content.put("text_body", JsonNode.createStringNode("t"));
        if (headers != null) {
            content.put("headers", headers);
        }
        java.util.Map<String, JsonNode> root = new java.util.LinkedHashMap<>();
        root.put("envelope_sender", JsonNode.createStringNode("a@src.test"));
        root.put("recipients", JsonNode.createArrayNode(List.of(JsonNode.createObjectNode(
                java.util.Map.of("email", recipientEmail)))));
        root.put("content", JsonNode.createObjectNode(content));
        return JsonNode.createObjectNode(root);
    }

    private static List<InvalidParam> faults(JsonNode root) {
        return assertThrows(InvalidRequestException.class, () -> RequestParser.parse(root, 10)).params();
    }

    @Test
    void anyXSluiceHeaderIsRefusedByName() {
        for (String name : List.of("X-Sluice-Trace", "x-sluice-class", "X-SLUICE-Anything", "X-Sluice-Pool")) {
            List<InvalidParam> f = faults(request(JsonNode.createStringNode("b@x.test"),
                    JsonNode.createObjectNode(java.util.Map.of(name, JsonNode.createStringNode("v")))));
            assertEquals(1, f.size(), f.toString());
            assertEquals("content.headers." + name, f.get(0).name());
            assertTrue(f.get(0).reason().contains("X-Sluice-"), f.get(0).reason());
        }
    }

    @Test
    void otherCustomHeadersStillPass() throws Exception {
        RequestParser.parse(request(JsonNode.createStringNode("b@x.test"),
                JsonNode.createObjectNode(java.util.Map.of("X-Campaign-Ref", JsonNode.createStringNode("42")))), 10);
    }

    @Test
    void anAddressLiteralRecipientIsRefusedByPath() {
        for (String literal : List.of("b@[192.0.2.1]", "b@[IPv6:2001:db8::1]")) {
            List<InvalidParam> f = faults(request(JsonNode.createStringNode(literal), null));
            assertEquals(1, f.size(), f.toString());
            assertEquals("recipients[0].email", f.get(0).name());
            assertTrue(f.get(0).reason().contains("address literal"), f.get(0).reason());
        }
    }
}
