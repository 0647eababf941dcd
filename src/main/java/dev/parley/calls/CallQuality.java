package dev.parley.calls;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** What one side's browser saw of a call (from getStats), posted by that side after the call. */
@Embeddable
public class CallQuality {

    @Column(name = "rtt_ms")
    public Double rttMs;
    @Column(name = "jitter_ms")
    public Double jitterMs;
    @Column(name = "packets_lost_pct")
    public Double packetsLostPct;
    @Column(name = "bitrate_kbps")
    public Double bitrateKbps;
    @Column(name = "candidate_type")
    public String candidateType;

    public boolean isEmpty() {
        return rttMs == null && jitterMs == null && packetsLostPct == null && bitrateKbps == null
                && candidateType == null;
    }
}
