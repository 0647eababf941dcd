package dev.parley.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.ParleyConfig;
import dev.parley.testing.MapConfig;
import dev.parley.testing.MutableClock;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class IceServersTest {

    private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_700_000_000L));

    @Test
    void withoutAnyServersTheListIsEmptyAndTtlZero() {
        IceServers.Offer offer = iceServers(MapConfig.of("parley.admin.token", "t")).offerFor("p1");

        assertTrue(offer.iceServers().isEmpty());
        assertEquals(0, offer.ttl());
    }

    @Test
    void stunOnlyGivesUrlsWithoutCredentialsAndTtlZero() {
        IceServers.Offer offer = iceServers(MapConfig.of("parley.admin.token", "t",
                "parley.stun.urls", "stun:stun1.example.org:3478, stun:stun2.example.org:3478")).offerFor("p1");

        assertEquals(0, offer.ttl());
        assertEquals(1, offer.iceServers().size());
        JsonObject stun = offer.iceServers().getJsonObject(0);
        assertEquals(List.of("stun:stun1.example.org:3478", "stun:stun2.example.org:3478"), urls(stun));
        assertFalse(stun.containsKey("username"));
        assertFalse(stun.containsKey("credential"));
    }

    @Test
    void turnEntryCarriesTimeLimitedCredentialsThatVerify() throws Exception {
        IceServers.Offer offer = iceServers(MapConfig.of("parley.admin.token", "t",
                "parley.stun.urls", "stun:turn.example.org:3478",
                "parley.turn.urls", "turn:turn.example.org:3478?transport=udp,turns:turn.example.org:5349",
                "parley.turn.secret", "north",
                "parley.turn.ttl", "PT1H")).offerFor("participant-7");

        assertEquals(3600, offer.ttl());
        JsonArray servers = offer.iceServers();
        assertEquals(2, servers.size());
        JsonObject turn = servers.getJsonObject(1);
        assertEquals(List.of("turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"), urls(turn));
        assertEquals("1700003600:participant-7", turn.getString("username"));
        assertEquals(hmacSha1Base64("north", "1700003600:participant-7"), turn.getString("credential"));
    }

    @Test
    void credentialsExpireRelativeToNow() {
        IceServers ice = iceServers(MapConfig.of("parley.admin.token", "t",
                "parley.turn.urls", "turn:turn.example.org:3478", "parley.turn.secret", "north"));
        clock.advance(Duration.ofSeconds(100));

        JsonObject turn = ice.offerFor("p1").iceServers().getJsonObject(0);

        assertEquals((1_700_000_100L + 24 * 3600) + ":p1", turn.getString("username"), "default ttl is 24 h");
    }

    @Test
    void turnSecretWithoutTurnUrlsOffersNoTurn() {
        IceServers.Offer offer = iceServers(MapConfig.of("parley.admin.token", "t",
                "parley.turn.secret", "north")).offerFor("p1");

        assertTrue(offer.iceServers().isEmpty());
        assertEquals(0, offer.ttl());
    }

    private IceServers iceServers(MapConfig config) {
        return new IceServers(new ParleyConfig(config), clock);
    }

    private static List<String> urls(JsonObject server) {
        return server.getJsonArray("urls").stream().map(v -> ((JsonString) v).getString()).toList();
    }

    private static String hmacSha1Base64(String secret, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    }
}
