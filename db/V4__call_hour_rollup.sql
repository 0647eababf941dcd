-- Per-hour sums of the call history, so the call report over weeks reads a few hundred rows instead of
-- every call. Every figure is a sum or a count (averages and shares are divided out when reported), kept
-- exact by the writers of parley_call: after changing calls they recompute the hours those calls started in
-- (dev.parley.reports.CallRollup). The p95 setup time is not a sum and is still read from parley_call.
CREATE TABLE parley_call_hour (
    hour_start     TIMESTAMP(3)     NOT NULL PRIMARY KEY,
    calls          BIGINT           DEFAULT 0 NOT NULL,
    answered       BIGINT           DEFAULT 0 NOT NULL,
    missed         BIGINT           DEFAULT 0 NOT NULL,
    rejected       BIGINT           DEFAULT 0 NOT NULL,
    duration_sum   BIGINT           DEFAULT 0 NOT NULL,
    duration_n     BIGINT           DEFAULT 0 NOT NULL,
    setup_sum      BIGINT           DEFAULT 0 NOT NULL,
    setup_n        BIGINT           DEFAULT 0 NOT NULL,
    relayed        BIGINT           DEFAULT 0 NOT NULL,
    typed          BIGINT           DEFAULT 0 NOT NULL,
    rtt_sum        DOUBLE PRECISION DEFAULT 0 NOT NULL,
    rtt_n          BIGINT           DEFAULT 0 NOT NULL,
    loss_sum       DOUBLE PRECISION DEFAULT 0 NOT NULL,
    loss_n         BIGINT           DEFAULT 0 NOT NULL
);

-- The history there is already (the same sums as CallRollup.SUMS).
INSERT INTO parley_call_hour (hour_start, calls, answered, missed, rejected, duration_sum, duration_n, setup_sum, setup_n,
                              relayed, typed, rtt_sum, rtt_n, loss_sum, loss_n)
SELECT DATE_TRUNC('hour', started_at), COUNT(*),
  COALESCE(SUM(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN end_reason = 'missed' THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN end_reason = 'rejected' THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN answered_at IS NOT NULL AND ended_at IS NOT NULL THEN duration_s ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN answered_at IS NOT NULL AND ended_at IS NOT NULL AND duration_s IS NOT NULL THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(setup_ms), 0), COUNT(setup_ms),
  COALESCE(SUM(CASE WHEN caller_candidate_type = 'relay' OR callee_candidate_type = 'relay' THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN caller_candidate_type IS NOT NULL OR callee_candidate_type IS NOT NULL THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(COALESCE(caller_rtt_ms, 0) + COALESCE(callee_rtt_ms, 0)), 0), COUNT(caller_rtt_ms) + COUNT(callee_rtt_ms),
  COALESCE(SUM(COALESCE(caller_packets_lost_pct, 0) + COALESCE(callee_packets_lost_pct, 0)), 0),
  COUNT(caller_packets_lost_pct) + COUNT(callee_packets_lost_pct)
FROM parley_call GROUP BY DATE_TRUNC('hour', started_at);
