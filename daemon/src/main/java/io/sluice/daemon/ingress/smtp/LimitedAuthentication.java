package io.sluice.daemon.ingress.smtp;

import org.subethamail.smtp.AuthenticationHandler;
import org.subethamail.smtp.AuthenticationHandlerFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.Session;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * Wraps the AUTH mechanisms so failed attempts are counted per client address: once an address
 * has failed {@code auth-failures-per-minute} times, its next attempt gets {@code 421 4.7.0} and
 * the session ends (as do its new connections, in {@link ClientLimits#admit}).
 */
final class LimitedAuthentication implements AuthenticationHandlerFactory {
    private final AuthenticationHandlerFactory delegate;
    private final ClientLimits limits;

    LimitedAuthentication(AuthenticationHandlerFactory delegate, ClientLimits limits) {
        this.delegate = delegate;
        this.limits = limits;
    }

    @Override
    public List<String> getAuthenticationMechanisms() {
        return delegate.getAuthenticationMechanisms();
    }

    @Override
    public AuthenticationHandler create() {
        AuthenticationHandler handler = delegate.create();
        return new AuthenticationHandler() {
            @Override
            public Optional<String> auth(String clientInput, MessageContext context) throws RejectException {
                java.net.InetAddress client = ((InetSocketAddress) context.getRemoteAddress()).getAddress();
                if (limits.authBlocked(client)) {
                    String reply = "4.7.0 Too many failed AUTH attempts; try again later";
                    if (context instanceof Session session) {
                        // 421 closes the channel (RFC 5321 §3.8): answer, then end the session.
                        // SubEthaSMTP's own answer to the exception below then finds it closed.
                        try {
                            session.sendResponse("421 " + reply);
                        } catch (java.io.IOException gone) {
                            // the client left already
                        }
                        session.quit();
                    }
                    throw new RejectException(421, reply);
                }
                try {
                    return handler.auth(clientInput, context);
                } catch (RejectException e) {
                    if (e.getCode() == 535) {
                        limits.authFailed(client);
                    }
                    throw e;
                }
            }

            @Override
            public Object getIdentity() {
                return handler.getIdentity();
            }
        };
    }
}
