package dev.parley.rooms;

import dev.parley.config.ParleyConfig;
import dev.parley.security.AddressRateLimit;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/** The per-address limit on {@code POST /api/rooms} ({@code parley.rooms.create-rate} a minute). */
@ApplicationScoped
public class RoomCreationLimit {

    @Inject
    ParleyConfig config;
    @Inject
    Clock clock;
    private AddressRateLimit limit;

    @PostConstruct
    void init() {
        limit = new AddressRateLimit(config.roomsCreateRate, clock);
    }

    public AddressRateLimit limit() {
        return limit;
    }
}
