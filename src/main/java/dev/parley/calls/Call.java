package dev.parley.calls;

import jakarta.persistence.AttributeOverride;
import jakarta.persistence.AttributeOverrides;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;

/** The durable record of one call between two participants, and the quality each side reported. */
@Entity
@Table(name = "parley_call")
public class Call {

    @Id
    public String id;
    @Column(name = "room_id")
    public String roomId;
    @Column(name = "room_name")
    public String roomName;
    @Column(name = "caller_id")
    public String callerId;
    @Column(name = "caller_name")
    public String callerName;
    @Column(name = "caller_user_agent")
    public String callerUserAgent;
    @Column(name = "caller_address")
    public String callerAddress;
    @Column(name = "callee_user_agent")
    public String calleeUserAgent;
    @Column(name = "callee_address")
    public String calleeAddress;
    @Column(name = "callee_id")
    public String calleeId;
    @Column(name = "callee_name")
    public String calleeName;
    public String status;
    @Column(name = "started_at")
    public LocalDateTime startedAt;
    @Column(name = "answered_at")
    public LocalDateTime answeredAt;
    @Column(name = "ended_at")
    public LocalDateTime endedAt;
    @Column(name = "end_reason")
    public String endReason;
    @Column(name = "setup_ms")
    public Long setupMs;
    @Column(name = "duration_s")
    public Long durationS;
    @Column(name = "instance_id")
    public String instanceId;

    @Embedded
    @AttributeOverrides({
        @AttributeOverride(name = "rttMs", column = @Column(name = "caller_rtt_ms")),
        @AttributeOverride(name = "jitterMs", column = @Column(name = "caller_jitter_ms")),
        @AttributeOverride(name = "packetsLostPct", column = @Column(name = "caller_packets_lost_pct")),
        @AttributeOverride(name = "bitrateKbps", column = @Column(name = "caller_bitrate_kbps")),
        @AttributeOverride(name = "candidateType", column = @Column(name = "caller_candidate_type"))})
    public CallQuality callerQuality;

    @Embedded
    @AttributeOverrides({
        @AttributeOverride(name = "rttMs", column = @Column(name = "callee_rtt_ms")),
        @AttributeOverride(name = "jitterMs", column = @Column(name = "callee_jitter_ms")),
        @AttributeOverride(name = "packetsLostPct", column = @Column(name = "callee_packets_lost_pct")),
        @AttributeOverride(name = "bitrateKbps", column = @Column(name = "callee_bitrate_kbps")),
        @AttributeOverride(name = "candidateType", column = @Column(name = "callee_candidate_type"))})
    public CallQuality calleeQuality;
}
