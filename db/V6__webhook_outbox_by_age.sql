-- The retention purge (HistoryPurge) deletes webhook deliveries and events older than parley.history.retention:
-- their bodies carry names and browsers, which must not outlive the history they describe.
CREATE INDEX parley_webhook_delivery_created ON parley_webhook_delivery (created_at);
CREATE INDEX parley_webhook_event_created ON parley_webhook_event (created_at);
