package dev.parley.calls;

import dev.parley.config.ParleyConfig;
import dev.parley.security.AddressRateLimit;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * Quality reports a minute per participant ({@code parley.calls.quality-rate}): each one locks its call's row and
 * hour in a transaction beside the history writer's, so a participant posting in a loop would hold history back.
 */
@ApplicationScoped
public class QualityReportLimit {

    @Inject
    ParleyConfig config;
    @Inject
    Clock clock;
    private AddressRateLimit perParticipant;

    @PostConstruct
    void init() {
        perParticipant = new AddressRateLimit(config.qualityRate, clock);
    }

    /** Zero when {@code participantId} may post now; otherwise the seconds to wait. */
    public long acquire(String participantId) {
        return perParticipant.acquire(participantId);
    }
}
