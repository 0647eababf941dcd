package dev.parley.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TurnCredentialsTest {

    @Test
    void credentialMatchesCoturnsSharedSecretScheme() {
        // Reference value computed outside Java:
        // printf '1700000000:alice' | openssl dgst -sha1 -hmac north -binary | base64
        TurnCredentials.Credential c = new TurnCredentials("north").issue("alice", Instant.ofEpochSecond(1_700_000_000L));

        assertEquals("1700000000:alice", c.username());
        assertEquals("Cd/49soE35ICqcJF/bCTn8Z4OyE=", c.credential());
    }

    @Test
    void usernameCarriesTheExpiryInWholeUnixSeconds() {
        TurnCredentials.Credential c = new TurnCredentials("north").issue("p1", Instant.ofEpochSecond(1_700_000_000L, 999_000_000));

        assertEquals("1700000000:p1", c.username());
    }

    @Test
    void credentialDependsOnSecretAndUsername() {
        Instant expiry = Instant.ofEpochSecond(1_700_000_000L);
        String base = new TurnCredentials("north").issue("alice", expiry).credential();

        assertNotEquals(base, new TurnCredentials("south").issue("alice", expiry).credential());
        assertNotEquals(base, new TurnCredentials("north").issue("bob", expiry).credential());
        assertNotEquals(base, new TurnCredentials("north").issue("alice", expiry.plusSeconds(1)).credential());
    }
}
