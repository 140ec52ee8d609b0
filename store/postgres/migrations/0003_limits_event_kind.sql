-- The console's sign-in limiter (limits.go): one row per key (a SHA-256,
-- so 32 bytes whatever was typed), forgotten when it expires.
CREATE TABLE signin_limits (
	key bytea PRIMARY KEY,
	expires_ns bigint NOT NULL,
	data bytea NOT NULL
);
CREATE INDEX signin_limits_expires ON signin_limits (expires_ns);

-- Events by kind and time (events_kind.go), so the console's counts
-- ("resolved today", reports) seek to their first event instead of
-- reading the log from its start. The kind and the time are read from the
-- event's JSON by two functions, so writing an event is unchanged. They
-- are declared IMMUTABLE, which holds for what Linkline writes: "at" is
-- RFC 3339 with its offset, so no setting changes how it reads.
CREATE FUNCTION linkline_event_kind(data bytea) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN convert_from(data, 'UTF8')::jsonb ->> 'kind';
CREATE FUNCTION linkline_event_at_us(data bytea) RETURNS bigint
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN (extract(epoch FROM (convert_from(data, 'UTF8')::jsonb ->> 'at')::timestamptz) * 1000000)::bigint;
CREATE INDEX events_kind_at ON events (linkline_event_kind(data), linkline_event_at_us(data), id);
