package io.sluice.daemon.ingress.http;

import io.micronaut.json.tree.JsonNode;
import io.sluice.daemon.http.InvalidParam;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code send_window} and {@code recipients[].time_zone}: kept when usable, else named with the reason. */
class SendWindowParsingTest {

    private static JsonNode obj(Object... kv) {
        LinkedHashMap<String, JsonNode> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            m.put((String) kv[i], v instanceof JsonNode n ? n : JsonNode.createStringNode((String) v));
        }
        return JsonNode.createObjectNode(m);
    }

    private static JsonNode request(String window, JsonNode... recipients) {
        Object[] base = {"envelope_sender", "a@src.test", "recipients", JsonNode.createArrayNode(List.of(recipients)),
                "content", obj("from", "a@src.test", "subject", "Hi", "text_body", "t")};
        if (window == null) {
            return obj(base);
        }
        Object[] all = java.util.Arrays.copyOf(base, base.length + 2);
        all[base.length] = "send_window";
        all[base.length + 1] = window;
        return obj(all);
    }

    private static List<InvalidParam> faults(JsonNode root) {
        return assertThrows(InvalidRequestException.class, () -> RequestParser.parse(root, 10)).params();
    }

    @Test
    void aUsableWindowAndZonesAreKept() throws Exception {
        InjectionRequest r = RequestParser.parse(request(" mon-fri 09:00-17:00 recipient ",
                obj("email", "a@x.test", "time_zone", "Pacific/Kiritimati"),
                obj("email", "b@x.test", "time_zone", "Pacific/Pago_Pago")), 10);
        assertEquals("mon-fri 09:00-17:00 recipient", r.sendWindow());
        assertEquals("Pacific/Kiritimati", r.recipients().get(0).timeZone());
        assertEquals("Pacific/Pago_Pago", r.recipients().get(1).timeZone());
        assertTrue(!r.recipients().get(0).personalised(), "a zone alone does not make a message per recipient");
        assertNull(RequestParser.parse(request(null, obj("email", "a@x.test")), 10).sendWindow());
    }

    @Test
    void aWindowThatCannotOpenIsNamedWithItsReason() {
        List<InvalidParam> f = faults(request("mon-fri 09:00-09:00 Europe/Paris", obj("email", "a@x.test")));
        assertEquals(1, f.size(), f.toString());
        assertEquals("send_window", f.get(0).name());
        assertTrue(f.get(0).reason().contains("empty hour range"), f.get(0).reason());

        f = faults(request("mon-fri 09:00-17:00 Mars/Olympus_Mons", obj("email", "a@x.test")));
        assertEquals("send_window", f.get(0).name());
        assertTrue(f.get(0).reason().contains("not an IANA time zone name"), f.get(0).reason());
    }

    @Test
    void aRecipientWindowNeedsEveryRecipientsZoneAndAZoneMustBeIana() {
        List<InvalidParam> f = faults(request("daily 09:00-10:00 recipient",
                obj("email", "a@x.test", "time_zone", "Europe/Berlin"),
                obj("email", "b@x.test"),
                obj("email", "c@x.test", "time_zone", "CEST")));
        assertEquals(2, f.size(), f.toString());
        assertEquals("recipients[2].time_zone", f.get(0).name());
        assertTrue(f.get(0).reason().contains("not an IANA time zone name"));
        assertEquals("recipients[1].time_zone", f.get(1).name());
        assertTrue(f.get(1).reason().startsWith("required"));
    }
}
