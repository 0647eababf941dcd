package dev.parley.ice;

import static dev.parley.api.JsonP.JSON;

import dev.parley.config.ParleyConfig;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.time.Clock;
import java.util.List;

/** The ICE servers handed to a client: the configured STUN URLs, and TURN with fresh credentials. */
public final class IceServers {

    /** What a client gets: RTCIceServer entries and how many seconds the TURN credentials live (0: no TURN). */
    public record Offer(JsonArray iceServers, long ttl) {
    }

    private final List<String> stunUrls;
    private final List<String> turnUrls;
    private final TurnCredentials turn;
    private final long ttlSeconds;
    private final Clock clock;

    public IceServers(ParleyConfig config, Clock clock) {
        this.stunUrls = config.stunUrls;
        this.turnUrls = config.turnUrls;
        this.turn = config.turnSecret.map(TurnCredentials::new).orElse(null);
        this.ttlSeconds = config.turnTtl.getSeconds();
        this.clock = clock;
    }

    public Offer offerFor(String id) {
        JsonArrayBuilder servers = JSON.createArrayBuilder();
        if (!stunUrls.isEmpty()) {
            servers.add(JSON.createObjectBuilder().add("urls", urls(stunUrls)));
        }
        boolean withTurn = turn != null && !turnUrls.isEmpty();
        if (withTurn) {
            TurnCredentials.Credential c = turn.issue(id, clock.instant().plusSeconds(ttlSeconds));
            JsonObjectBuilder entry = JSON.createObjectBuilder().add("urls", urls(turnUrls))
                    .add("username", c.username()).add("credential", c.credential());
            servers.add(entry);
        }
        return new Offer(servers.build(), withTurn ? ttlSeconds : 0);
    }

    private static JsonArrayBuilder urls(List<String> urls) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        urls.forEach(array::add);
        return array;
    }
}
