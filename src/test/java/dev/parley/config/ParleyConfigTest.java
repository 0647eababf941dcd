package dev.parley.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testing.MapConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParleyConfigTest {

    @Test
    void iceUrlsAndOriginsInTheFormsBrowsersAcceptAreKept() {
        ParleyConfig c = new ParleyConfig(MapConfig.of(
                "parley.stun.urls", "stun:stun.example.com:3478?transport=udp, stuns:[2001:db8::1]:5349",
                "parley.turn.urls", "turn:turn.example.com:3478?transport=TCP, turns:turn.example.com",
                "parley.turn.secret", "s",
                "parley.ws.allowed-origins", "http://localhost:8080, null, app://desktop"));

        assertEquals(2, c.stunUrls.size());
        assertEquals(2, c.turnUrls.size());
        assertEquals(List.of("http://localhost:8080", "null", "app://desktop"), c.allowedOrigins);
    }

    @Test
    void instancesClusterOnlyOverADatabaseTheyCanShare() {
        assertFalse(new ParleyConfig(MapConfig.of()).clusterEnabled, "the embedded H2 database is each instance's own");
        assertTrue(new ParleyConfig(MapConfig.of("parley.db.url", "jdbc:postgresql://db/parley")).clusterEnabled);
        assertFalse(new ParleyConfig(MapConfig.of("parley.db.url", "jdbc:postgresql://db/parley",
                "parley.cluster.enabled", "false")).clusterEnabled);
    }

    @Test
    void instanceIdsAreHostPodOrMemberNamesThatFitTheHistoryRows() {
        String pod = "parley-7f9c8d6b5-x2x9z.parley-headless.prod.svc.cluster.local";
        assertEquals(pod, new ParleyConfig(MapConfig.of("parley.instance.id", pod)).instanceId);
        String longest = "p".repeat(64);
        assertEquals(longest, new ParleyConfig(MapConfig.of("parley.instance.id", longest)).instanceId);
        assertEquals("local", new ParleyConfig(MapConfig.of()).instanceId);
        String member = "5b1f6b1e-2a6c-4d43-9d8e-0f1c2b3a4d5e"; // a Hazelcast member UUID, the id when none is set
        assertEquals(member, new ParleyConfig(MapConfig.of("parley.instance.id", member)).instanceId);
    }

    @Test
    void defaultsMatchTheProtocol() {
        ParleyConfig c = new ParleyConfig(MapConfig.of());

        assertEquals(2, c.roomCapacity);
        assertEquals(8, c.roomMaxCapacity);
        assertEquals(Duration.ofHours(24), c.roomIdleTtl);
        assertEquals(10, c.roomsCreateRate);
        assertEquals(Duration.ofSeconds(30), c.ringTimeout);
        assertEquals(Duration.ofSeconds(15), c.resumeGrace);
        assertEquals(65536, c.wsMaxMessageBytes);
        assertEquals(50, c.wsRate);
        assertEquals(200, c.wsBurst);
        assertEquals(Duration.ofSeconds(10), c.wsJoinTimeout);
        assertEquals(Duration.ofSeconds(5), c.wsPingInterval);
        assertEquals(List.of(), c.allowedOrigins);
        assertEquals(List.of(), c.stunUrls);
        assertEquals(List.of(), c.turnUrls);
        assertEquals(Optional.empty(), c.turnSecret);
        assertEquals(Duration.ofHours(24), c.turnTtl);
        assertEquals(Duration.ofDays(365), c.historyRetention);
    }

    @Test
    void aListedItemGivenTwiceCountsOnce() {
        ParleyConfig c = new ParleyConfig(MapConfig.of("parley.webhook.urls", "https://a.example/h, https://b.example/h,https://a.example/h"));

        assertEquals(List.of("https://a.example/h", "https://b.example/h"), c.webhookUrls);
    }

    @Test
    void hostileInputLimitsHaveDefaultsAndJoinTokensAreOff() {
        ParleyConfig c = new ParleyConfig(MapConfig.of());

        assertEquals(20, c.wsMaxConnectionsPerAddress);
        assertEquals(10, c.resumeFailureRate);
        assertEquals(Optional.empty(), c.joinSecret);
    }

    @Test
    void aJoinSecretTooShortForHs256StopsTheDeploymentNamingTheKey() {
        var e = assertThrows(InvalidSettingException.class,
                () -> new ParleyConfig(MapConfig.of("parley.join.secret", "x".repeat(31))));

        assertTrue(e.getMessage().contains("parley.join.secret"), e.getMessage());
        assertEquals(Optional.of("x".repeat(32)), new ParleyConfig(MapConfig.of("parley.join.secret", "x".repeat(32))).joinSecret);
    }

    @Test
    void missingAdminTokenIsGeneratedFreshAndUnguessable() {
        String first = new ParleyConfig(MapConfig.of()).adminToken;
        String second = new ParleyConfig(MapConfig.of()).adminToken;

        assertTrue(first.length() >= 24, first);
        assertNotEquals(first, second);
    }

    @Test
    void configuredValuesAreUsed() {
        ParleyConfig c = new ParleyConfig(MapConfig.of(
                "parley.admin.token", "s3cret",
                "parley.room.capacity", " 4 ",
                "parley.call.ring-timeout", "PT3S",
                "parley.resume.grace", "PT0S",
                "parley.ws.allowed-origins", "https://a.example, https://b.example,,",
                "parley.turn.urls", "turn:t.example:3478",
                "parley.turn.secret", "north"));

        assertEquals("s3cret", c.adminToken);
        assertEquals(4, c.roomCapacity);
        assertEquals(Duration.ofSeconds(3), c.ringTimeout);
        assertEquals(Duration.ZERO, c.resumeGrace);
        assertEquals(List.of("https://a.example", "https://b.example"), c.allowedOrigins);
        assertEquals(Optional.of("north"), c.turnSecret);
    }

    @ParameterizedTest
    @CsvSource({
        "parley.room.capacity, abc",
        "parley.room.capacity, 1",
        "parley.room.capacity, 9",
        "parley.room.capacity, 2.5",
        "parley.room.max-capacity, lots",
        "parley.call.ring-timeout, soon",
        "parley.call.ring-timeout, 30",
        "parley.call.ring-timeout, PT0S",
        "parley.resume.grace, -PT1S",
        "parley.room.idle-ttl, tomorrow",
        "parley.ws.max-message-bytes, 64k",
        "parley.ws.rate, 0",
        "parley.ws.burst, many",
        "parley.ws.join-timeout, 10s",
        "parley.ws.ping-interval, never",
        "parley.rooms.create-rate, -1",
        "parley.turn.ttl, PT1S",
        "parley.history.retention, forever",
        "parley.history.store-ip, yes",
        "parley.stun.urls, stun.example.com:3478",
        "parley.turn.urls, turn.example.com:3478",
        "parley.turn.urls, https://turn.example.com",
        "parley.ws.allowed-origins, https://meet.example.com/",
        "parley.ws.allowed-origins, meet.example.com",
        "parley.turn.ttl, PT9223372036854775807S",
        "parley.room.idle-ttl, P200000000000D",
        "parley.ws.outbox-bytes, 65536",
        "parley.instance.id, parley-7f9c8d6b5-x2x9z.parley-headless.prod.svc.cluster.local.example", // 65+: no history
        "parley.instance.id, 'parley one'",
        "parley.instance.id, node_1", // '_' is a wildcard where the grid forgets a lost instance's tokens
        "parley.instance.id, -",
        "parley.instance.id, stopped:a"
    })
    void badValueIsRefusedNamingTheKey(String key, String value) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> new ParleyConfig(MapConfig.of(key, value)));

        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void turnUrlsWithoutSecretAreRefused() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> new ParleyConfig(MapConfig.of("parley.turn.urls", "turn:t.example:3478")));

        assertTrue(e.getMessage().contains("parley.turn.secret"), e.getMessage());
    }

    @Test
    void defaultCapacityMayNotExceedTheConfiguredMaximum() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> new ParleyConfig(
                MapConfig.of("parley.room.max-capacity", "4", "parley.room.capacity", "5")));

        assertTrue(e.getMessage().contains("parley.room.capacity"), e.getMessage());
    }

    @Test
    void theSignalingTransportIsParleysOwnUnlessTheContainersIsNamed() {
        assertEquals(ParleyConfig.WsTransport.SERVLET, new ParleyConfig(MapConfig.of()).wsTransport);
        assertEquals(ParleyConfig.WsTransport.CONTAINER,
                new ParleyConfig(MapConfig.of("parley.ws.transport", " container ")).wsTransport);
        var e = assertThrows(InvalidSettingException.class,
                () -> new ParleyConfig(MapConfig.of("parley.ws.transport", "tyrus")));
        assertTrue(e.getMessage().contains("parley.ws.transport"), e.getMessage());
    }
}
