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
 * An unknown user costs the same bcrypt work as a wrong password, so timing tells nothing.
 */
final class SubmissionAccounts implements UsernamePasswordValidator {
    /** bcrypt("not a password", cost 10): checked for unknown users to spend the same time. */
    private static final String DUMMY = OpenBSDBCrypt.generate("not a password".toCharArray(), new byte[16], 10);

    private final Map<String, SubmissionUser> users = new HashMap<>();

    SubmissionAccounts(List<SubmissionUser> configured) {
        for (SubmissionUser u : configured) {
            String key = "sluice.submission.users." + u.name() + ".password-hash";
            if (!u.passwordHash().matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
                throw new ConfigException(key, "(hidden)", "not a bcrypt hash ($2a$/$2b$/$2y$, 60 characters)");
            }
            users.put(u.name(), u);
        }
    }

    Optional<SubmissionUser> user(String name) {
        return Optional.ofNullable(users.get(name));
    }

    @Override
    public void login(String username, String password, MessageContext context) throws LoginFailedException {
        SubmissionUser user = users.get(username);
        boolean ok = OpenBSDBCrypt.checkPassword(user == null ? DUMMY : user.passwordHash(),
                password.toCharArray());
        if (user == null || !ok) {
            throw new LoginFailedException("5.7.8 Authentication credentials invalid");
        }
    }
}
