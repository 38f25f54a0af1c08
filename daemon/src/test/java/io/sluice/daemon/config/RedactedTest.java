package io.sluice.daemon.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RedactedTest {
    @Test
    void userInfoAndSecretParametersAreHiddenTheRestKept() {
        assertEquals("redis://***@10.0.0.5:6379/0", Redacted.uri("redis://:s3cret@10.0.0.5:6379/0"));
        assertEquals("rediss://***@redis.internal:6380", Redacted.uri("rediss://default:s3cret@redis.internal:6380"));
        assertEquals("https://***@hooks.example/x?access_token=***&batch=1&api_key=***",
                Redacted.uri("https://u:p@hooks.example/x?access_token=abc&batch=1&api_key=def"));
        assertEquals("https://hooks.example/x?sig=***", Redacted.uri("https://hooks.example/x?sig=abc"));
        assertEquals("redis://127.0.0.1:6379", Redacted.uri("redis://127.0.0.1:6379"));
        assertEquals("https://hooks.example/a@b", Redacted.uri("https://hooks.example/a@b"), "an @ in the path is not user info");
        assertNull(Redacted.uri(null));
    }
}
