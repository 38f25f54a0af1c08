package io.sluice.daemon.ingress.smtp;

import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.SubmissionUser;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.auth.UsernamePasswordValidator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The submission port's users, checked against bcrypt hashes (Bouncy Castle's OpenBSDBCrypt).
 * An unknown user costs the same bcrypt work as a wrong password (a dummy hash at the highest
 * cost among the configured users), so timing tells nothing; failures are counted per account
 * ({@link AccountThrottle}) as well as per address.
 */
final class SubmissionAccounts implements UsernamePasswordValidator {
    /** Checks a password against a bcrypt hash; a seam so tests can see which hash was checked. */
    @FunctionalInterface
    interface HashCheck {
        boolean matches(String bcryptHash, char[] password);
    }

    private final Map<String, SubmissionUser> users = new HashMap<>();
    private final AccountThrottle throttle;
    private final HashCheck check;
    /** bcrypt of a random password at the users' cost: what an unknown or locked user is checked against. */
    private final String dummy;

    SubmissionAccounts(List<SubmissionUser> configured, AccountThrottle throttle) {
        this(configured, throttle, OpenBSDBCrypt::checkPassword);
    }

    SubmissionAccounts(List<SubmissionUser> configured, AccountThrottle throttle, HashCheck check) {
        this.throttle = throttle;
        this.check = check;
        int cost = 10;
        for (SubmissionUser u : configured) {
            String key = "sluice.submission.users." + u.name() + ".password-hash";
            if (!u.passwordHash().matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
                throw new ConfigException(key, "(hidden)", "not a bcrypt hash ($2a$/$2b$/$2y$, 60 characters)");
            }
            users.put(u.name(), u);
            cost = Math.max(cost, Integer.parseInt(u.passwordHash().substring(4, 6)));
        }
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        this.dummy = OpenBSDBCrypt.generate(java.util.UUID.randomUUID().toString().toCharArray(), salt, Math.min(cost, 31));
    }

    /** The hash unknown and locked-out users are checked against (same cost as the real ones). */
    String dummyHash() {
        return dummy;
    }

    Optional<SubmissionUser> user(String name) {
        return Optional.ofNullable(users.get(name));
    }

    @Override
    public void login(String username, String password, MessageContext context) throws LoginFailedException {
        SubmissionUser user = users.get(username);
        boolean locked = throttle.blocked(username);
        // always one bcrypt check of the same cost: unknown, locked and wrong look alike, in time too
        boolean ok = check.matches(user == null || locked ? dummy : user.passwordHash(), password.toCharArray());
        if (user == null || locked || !ok) {
            throttle.failed(username);
            throw new LoginFailedException("5.7.8 Authentication credentials invalid");
        }
    }
}
