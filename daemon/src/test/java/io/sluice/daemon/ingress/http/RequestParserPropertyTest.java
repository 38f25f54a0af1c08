package io.sluice.daemon.ingress.http;

import io.micronaut.json.tree.JsonNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The JSON injection parser (issue 18's campaign): whatever a client posts — the request's own
 * field names with values of any type, shape and text, or strangers' names — it gives a request
 * or an {@link InvalidRequestException} naming the fields at fault, nothing else: no other
 * exception escapes into the controller (which would answer 500).
 */
class RequestParserPropertyTest {
    private static final List<String> TOP = List.of("envelope_sender", "recipients", "content", "substitutions",
            "tenant", "campaign", "pool", "idempotency_key", "send_at", "send_window", "class", "unknown_field");
    private static final List<String> RECIPIENT = List.of("email", "name", "substitutions", "metadata", "time_zone", "x");
    private static final List<String> CONTENT = List.of("from", "reply_to", "subject", "text_body", "html_body",
            "headers", "attachments", "y");
    private static final List<String> ATTACHMENT = List.of("file_name", "content_type", "base64_data", "z");

    @Property(tries = 1500)
    void anyRequestGivesARequestOrNamesItsFaults(@ForAll("requests") JsonNode root) {
        try {
            assertNotNull(RequestParser.parse(root, 20));
        } catch (InvalidRequestException e) {
            assertFalse(e.params().isEmpty(), "a refusal names at least one field");
            for (var p : e.params()) {
                assertFalse(p.name() == null || p.name().isBlank(), "a refusal names its field: " + p);
            }
        }
    }

    @Property(tries = 500)
    void anyValueAtAllIsRefusedOrParsed(@ForAll("values") JsonNode root) {
        try {
            RequestParser.parse(root, 20);
        } catch (InvalidRequestException e) {
            assertFalse(e.params().isEmpty());
        }
    }

    @Provide
    Arbitrary<JsonNode> requests() {
        Arbitrary<JsonNode> recipient = object(RECIPIENT, valueOrAddress());
        Arbitrary<JsonNode> recipients = Arbitraries.oneOf(recipient.list().ofMaxSize(25).map(JsonNode::createArrayNode),
                value(2));
        Arbitrary<JsonNode> attachment = object(ATTACHMENT, value(1));
        Arbitrary<JsonNode> structured = Arbitraries.oneOf(
                object(CONTENT, valueOrAddress()),
                attachment.list().ofMaxSize(3).map(a -> {
                    Map<String, JsonNode> c = new LinkedHashMap<>();
                    c.put("from", JsonNode.createStringNode("a@src.test"));
                    c.put("subject", JsonNode.createStringNode("s {{x}}"));
                    c.put("text_body", JsonNode.createStringNode("t"));
                    c.put("attachments", JsonNode.createArrayNode(a));
                    return JsonNode.createObjectNode(c);
                }));
        Arbitrary<JsonNode> content = Arbitraries.oneOf(structured, text().map(JsonNode::createStringNode), value(2));
        return Arbitraries.maps(Arbitraries.of(TOP), valueOrAddress()).ofMaxSize(TOP.size())
                .flatMap(base -> Arbitraries.oneOf(recipients.map(r -> with(base, "recipients", r)),
                        Arbitraries.just(base)))
                .flatMap(base -> content.map(c -> with(base, "content", c)))
                .map(JsonNode::createObjectNode);
    }

    @Provide
    Arbitrary<JsonNode> values() {
        return value(3);
    }

    private static Map<String, JsonNode> with(Map<String, JsonNode> base, String key, JsonNode value) {
        Map<String, JsonNode> m = new LinkedHashMap<>(base);
        m.put(key, value);
        return m;
    }

    private static Arbitrary<JsonNode> object(List<String> names, Arbitrary<JsonNode> values) {
        return Arbitraries.maps(Arbitraries.of(names), values).ofMaxSize(names.size()).map(JsonNode::createObjectNode);
    }

    /** Mostly plausible addresses and dates, so that parsing reaches the deeper checks. */
    private static Arbitrary<JsonNode> valueOrAddress() {
        return Arbitraries.oneOf(value(2),
                Arbitraries.of("a@src.test", "b@[192.0.2.1]", "\"q x\"@dest.test", "user@xn--bcher-kva.example",
                        "Zoë <zoe@example.org>", "2026-12-07T10:00:00Z", "mon-fri 09:00-17:00 Europe/Paris",
                        "recipient", "marketing", "Europe/Berlin", "", "@", "a@b@c").map(JsonNode::createStringNode));
    }

    private static Arbitrary<JsonNode> value(int depth) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.just(JsonNode.nullNode()),
                Arbitraries.of(true, false).map(JsonNode::createBooleanNode),
                Arbitraries.longs().map(JsonNode::createNumberNode),
                Arbitraries.doubles().map(JsonNode::createNumberNode),
                Arbitraries.bigDecimals().ofScale(20).map(BigDecimal::stripTrailingZeros).map(JsonNode::createNumberNode),
                text().map(JsonNode::createStringNode));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonNode> inner = value(depth - 1);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, leaf),
                net.jqwik.api.Tuple.of(1, inner.list().ofMaxSize(4).map(JsonNode::createArrayNode)),
                net.jqwik.api.Tuple.of(1, Arbitraries.maps(text().ofMaxLength(12), inner).ofMaxSize(4)
                        .map(JsonNode::createObjectNode)));
    }

    /** Any text: control characters, lone surrogates, template braces, very long runs. */
    private static net.jqwik.api.arbitraries.StringArbitrary text() {
        return Arbitraries.strings().all().ofMaxLength(300);
    }
}
