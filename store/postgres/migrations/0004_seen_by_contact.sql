-- Provider message ids are kept per contact: bot.Tx.MarkSeen names the
-- contact who sent the message, as store/bolt keeps the id beside the
-- contact (schema 4), and erasing a person removes their ids
-- (Tx.DeleteSeen). The sender of each id kept so far is read from the
-- transcripts: an inbound message records its provider id, and the id was
-- kept as its channel, ':' and that id. An id no transcript holds any more
-- (its person erased, or their old messages removed by retention) has no
-- contact to go to and is dropped, as store/bolt's migration drops it.
-- A message's words may hold a zero byte, which encoding/json wrote as
-- \u0000 and PostgreSQL refuses to read as text: each is read as \ufffd
-- (six characters for six, so an escaped backslash before one stays
-- valid JSON); only the address and the provider id are read.
CREATE TABLE seen_by_contact (
	contact_id text COLLATE "C" NOT NULL,
	provider_id text COLLATE "C" NOT NULL,
	at_ns bigint NOT NULL,
	CONSTRAINT seen_by_contact_pkey PRIMARY KEY (contact_id, provider_id)
);
INSERT INTO seen_by_contact (contact_id, provider_id, at_ns)
	SELECT m.contact_id, s.provider_id, s.at_ns
	FROM (SELECT contact_id, replace(convert_from(data, 'UTF8'), '\u0000', '\ufffd')::json AS j FROM messages WHERE inbound) m
	JOIN seen s ON s.provider_id = (m.j -> 'address' ->> 'channel') || ':' || (m.j ->> 'provider_id')
	ON CONFLICT DO NOTHING;
DROP TABLE seen;
ALTER TABLE seen_by_contact RENAME TO seen;
ALTER TABLE seen RENAME CONSTRAINT seen_by_contact_pkey TO seen_pkey;
CREATE INDEX seen_at ON seen (at_ns);
