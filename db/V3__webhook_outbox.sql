-- Webhook outbox: events are written in the same transaction as the history change they describe,
-- then delivered (and retried) per receiver URL by the sender.
CREATE TABLE parley_webhook_event (
    id          VARCHAR(40)    NOT NULL PRIMARY KEY,
    room_name   VARCHAR(64)    NOT NULL,
    seq         BIGINT         NOT NULL,
    type        VARCHAR(32)    NOT NULL,
    body        VARCHAR(65536) NOT NULL,
    created_at  TIMESTAMP(3)   NOT NULL
);
CREATE INDEX parley_webhook_event_room ON parley_webhook_event (room_name, seq);

CREATE TABLE parley_webhook_delivery (
    event_id        VARCHAR(40)   NOT NULL REFERENCES parley_webhook_event (id),
    url             VARCHAR(1024) NOT NULL,
    status          VARCHAR(16)   NOT NULL,
    attempts        INTEGER       NOT NULL,
    created_at      TIMESTAMP(3)  NOT NULL,
    next_attempt_at TIMESTAMP(3)  NOT NULL,
    delivered_at    TIMESTAMP(3),
    last_error      VARCHAR(512),
    PRIMARY KEY (event_id, url)
);
CREATE INDEX parley_webhook_delivery_due ON parley_webhook_delivery (status, next_attempt_at);

-- The last webhook sequence number per room name: receivers order a room's events by it.
CREATE TABLE parley_room_seq (
    room_name VARCHAR(64) NOT NULL PRIMARY KEY,
    seq       BIGINT      NOT NULL
);
