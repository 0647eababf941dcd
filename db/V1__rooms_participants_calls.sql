-- Parley's first schema. Written in the SQL that both PostgreSQL and H2 accept.
-- Instants are stored as TIMESTAMP in UTC (the application never stores local times).

CREATE TABLE parley_room (
    id           VARCHAR(40)  NOT NULL PRIMARY KEY,
    name         VARCHAR(64)  NOT NULL,
    capacity     INTEGER      NOT NULL,
    has_password BOOLEAN      NOT NULL,
    created_at   TIMESTAMP(3) NOT NULL,
    closed_at    TIMESTAMP(3),
    instance_id  VARCHAR(64)  NOT NULL
);
CREATE INDEX parley_room_name ON parley_room (name);
CREATE INDEX parley_room_open ON parley_room (closed_at);

CREATE TABLE parley_participant (
    id           VARCHAR(40)  NOT NULL PRIMARY KEY,
    room_id      VARCHAR(40)  NOT NULL REFERENCES parley_room (id),
    room_name    VARCHAR(64)  NOT NULL,
    display_name VARCHAR(64)  NOT NULL,
    joined_at    TIMESTAMP(3) NOT NULL,
    left_at      TIMESTAMP(3),
    leave_reason VARCHAR(32),
    instance_id  VARCHAR(64)  NOT NULL
);
CREATE INDEX parley_participant_room ON parley_participant (room_id);

CREATE TABLE parley_call (
    id                       VARCHAR(40)  NOT NULL PRIMARY KEY,
    room_id                  VARCHAR(40)  NOT NULL REFERENCES parley_room (id),
    room_name                VARCHAR(64)  NOT NULL,
    caller_id                VARCHAR(40)  NOT NULL,
    caller_name              VARCHAR(64)  NOT NULL,
    callee_id                VARCHAR(40)  NOT NULL,
    callee_name              VARCHAR(64)  NOT NULL,
    status                   VARCHAR(16)  NOT NULL,
    started_at               TIMESTAMP(3) NOT NULL,
    answered_at              TIMESTAMP(3),
    ended_at                 TIMESTAMP(3),
    end_reason               VARCHAR(32),
    setup_ms                 BIGINT,
    duration_s               BIGINT,
    instance_id              VARCHAR(64)  NOT NULL,
    caller_rtt_ms            DOUBLE PRECISION,
    caller_jitter_ms         DOUBLE PRECISION,
    caller_packets_lost_pct  DOUBLE PRECISION,
    caller_bitrate_kbps      DOUBLE PRECISION,
    caller_candidate_type    VARCHAR(8),
    callee_rtt_ms            DOUBLE PRECISION,
    callee_jitter_ms         DOUBLE PRECISION,
    callee_packets_lost_pct  DOUBLE PRECISION,
    callee_bitrate_kbps      DOUBLE PRECISION,
    callee_candidate_type    VARCHAR(8)
);
CREATE INDEX parley_call_started ON parley_call (started_at, id);
CREATE INDEX parley_call_room ON parley_call (room_name, started_at);
CREATE INDEX parley_call_open ON parley_call (status);
