package io.sluice.daemon.ingress.smtp;

import io.sluice.daemon.config.LimitSettings;
import io.sluice.daemon.ingress.RelayNetworks;
import io.sluice.daemon.ingress.TenantRates;
import org.junit.jupiter.api.Test;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.RejectException;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The tenant's message rate is the budget of those who may send for it: relay clients and
 * authenticated users. A stranger on the open port (who may only reach the feedback addresses)
 * opens as many transactions as it likes without spending the {@code default} tenant's budget.
 */
class TenantRateChargeTest {
    private final TenantRates rates = new TenantRates(new LimitSettings(100, 3, 10), Clock.systemUTC());
    private final IngressSession.Policy relayPolicy = IngressSession.Policy.relayNetworks(
            RelayNetworks.parse("sluice.relay.networks", java.util.List.of("127.0.0.0/8")), null);

    private IngressSession sessionFrom(String client) throws Exception {
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName(client), 40000);
        MessageContext context = (MessageContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MessageContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRemoteAddress" -> remote;
                    case "getAuthenticationHandler", "getHelo" -> Optional.empty();
                    default -> null;
                });
        return new IngressSession(context, null, relayPolicy, null, rates, null, Clock.systemUTC(),
                1 << 20, 100, null, null, io.sluice.daemon.ingress.TenantDomainCheck.undeclared(), null);
    }

    @Test
    void outsidersDoNotSpendTheDefaultTenantsBudget() throws Exception {
        for (int i = 0; i < 10; i++) {
            IngressSession stranger = sessionFrom("203.0.113.7");
            assertDoesNotThrow(() -> stranger.from("bounce@remote.test"));
        }
        for (int i = 0; i < 3; i++) {
            IngressSession relay = sessionFrom("127.0.0.1");
            assertDoesNotThrow(() -> relay.from("app@src.test"), "relay transaction " + (i + 1) + " of 3");
        }
        RejectException fourth = assertThrows(RejectException.class, () -> sessionFrom("127.0.0.1").from("app@src.test"));
        assertEquals(451, fourth.getCode());
    }
}
