-- Who the clients were: User-Agent, and the client address (a salted hash unless parley.history.store-ip=true).
ALTER TABLE parley_participant ADD COLUMN user_agent VARCHAR(256);
ALTER TABLE parley_participant ADD COLUMN client_address VARCHAR(64);
ALTER TABLE parley_call ADD COLUMN caller_user_agent VARCHAR(256);
ALTER TABLE parley_call ADD COLUMN caller_address VARCHAR(64);
ALTER TABLE parley_call ADD COLUMN callee_user_agent VARCHAR(256);
ALTER TABLE parley_call ADD COLUMN callee_address VARCHAR(64);
