-- Sessions keep only the SHA-256 of their token (tropic.HashSecret), so that a copy of
-- the database holds no working session. Sessions stored before this held the token
-- itself: they are deleted (everyone signs in again once).
-- Keep in step with the other dialect's 0110_session_token_hashes.sql.

-- +goose Up
DELETE FROM sessions;
ALTER TABLE sessions RENAME COLUMN token TO token_hash;

-- +goose Down
DELETE FROM sessions;
ALTER TABLE sessions RENAME COLUMN token_hash TO token;
