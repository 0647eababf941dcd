-- A display name is up to 64 Unicode characters (MessageCodec.MAX_NAME), but H2 counts a VARCHAR's length in UTF-16
-- code units, where a character outside the Basic Multilingual Plane (most emoji) takes two: a name of 64 emoji is 128
-- long there, and VARCHAR(64) refused the participant's and the call's rows. PostgreSQL counts characters; 128 is
-- room to spare there.
ALTER TABLE parley_participant ALTER COLUMN display_name SET DATA TYPE VARCHAR(128);
ALTER TABLE parley_call ALTER COLUMN caller_name SET DATA TYPE VARCHAR(128);
ALTER TABLE parley_call ALTER COLUMN callee_name SET DATA TYPE VARCHAR(128);
