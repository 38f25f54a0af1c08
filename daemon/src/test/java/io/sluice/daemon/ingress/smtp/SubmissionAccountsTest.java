package io.sluice.daemon.ingress.smtp;

import io.sluice.daemon.config.SubmissionUser;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.subethamail.smtp.auth.LoginFailedException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Issue 18 item 13: submission logins are throttled per account, whatever address they come from,
 * and an unknown user costs one bcrypt check at the real users' cost, like a wrong password.
 */
class SubmissionAccountsTest {
    private static final String HASH = OpenBSDBCrypt.generate("right".toCharArray(), new byte[16], 12);
    private final List<SubmissionUser> users = List.of(new SubmissionUser("app", HASH, "default", List.of()));

    @Test
    void failuresForOneAccountFromManyAddressesLockThatAccount() throws Exception {
        // the hash check is counted, not run: cost 12 would make this test slow, and it is the
        // decision, not bcrypt, under test here
        SubmissionAccounts accounts = new SubmissionAccounts(users, new AccountThrottle(3, Clock.systemUTC()),
                (hash, password) -> hash.equals(HASH) && new String(password).equals("right"));
        for (int i = 0; i < 3; i++) {
            // each guess from another address: the per-address limit never sees more than one
            assertThrows(LoginFailedException.class, () -> accounts.login("app", "guess", null));
        }
        assertThrows(LoginFailedException.class, () -> accounts.login("app", "right", null),
                "the account is locked for a while, even to its password");
        assertThrows(LoginFailedException.class, () -> accounts.login("APP", "right", null));
    }

    @Test
    void anotherAccountIsNotLockedByTheFirst() {
        List<SubmissionUser> two = List.of(users.get(0), new SubmissionUser("ops", HASH, "default", List.of()));
        SubmissionAccounts accounts = new SubmissionAccounts(two, new AccountThrottle(2, Clock.systemUTC()),
                (hash, password) -> hash.equals(HASH) && new String(password).equals("right"));
        for (int i = 0; i < 5; i++) {
            assertThrows(LoginFailedException.class, () -> accounts.login("app", "guess", null));
        }
        assertDoesNotThrow(() -> accounts.login("ops", "right", null));
    }

    @Test
    void anUnknownUserIsCheckedAgainstADummyHashOfTheSameCost() {
        List<String> checked = new ArrayList<>();
        SubmissionAccounts accounts = new SubmissionAccounts(users, new AccountThrottle(100, Clock.systemUTC()),
                (hash, password) -> {
                    checked.add(hash);
                    return false;
                });
        assertThrows(LoginFailedException.class, () -> accounts.login("nobody", "x", null));
        assertEquals(List.of(accounts.dummyHash()), checked, "one hash check for an unknown user");
        assertEquals(HASH.substring(0, 7), accounts.dummyHash().substring(0, 7), "same bcrypt version and cost");
    }
}
