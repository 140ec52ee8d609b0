-- Linkline's records on PostgreSQL. Each record kind has its own table:
-- the record itself as the JSON bbolt keeps (bytea: exactly the bytes
-- encoding/json wrote, so any text a person sends round-trips), beside
-- the columns its queries and uniqueness rules need. Times in columns are
-- Unix nanoseconds (bigint) so that order and equality are bbolt's.
-- Text keys are COLLATE "C": byte order, as bbolt sorts.

CREATE SEQUENCE contacts_seq;
CREATE SEQUENCE messages_seq;
CREATE SEQUENCE referrals_seq;
CREATE SEQUENCE outbox_seq;
CREATE SEQUENCE handoffs_seq;
CREATE SEQUENCE users_seq;
CREATE SEQUENCE audit_seq;
CREATE SEQUENCE surveys_seq;
CREATE SEQUENCE schedules_seq;

-- Provider message ids already handled: the primary key is the rule that
-- a message is handled once.
CREATE TABLE seen (
	provider_id text COLLATE "C" NOT NULL,
	at_ns bigint NOT NULL,
	CONSTRAINT seen_pkey PRIMARY KEY (provider_id)
);
CREATE INDEX seen_at ON seen (at_ns);

CREATE TABLE contacts (
	id text COLLATE "C" PRIMARY KEY,
	data bytea NOT NULL
);

-- One owner per address.
CREATE TABLE contact_addresses (
	address text COLLATE "C" NOT NULL,
	contact_id text COLLATE "C" NOT NULL,
	CONSTRAINT contact_addresses_pkey PRIMARY KEY (address)
);
CREATE INDEX contact_addresses_contact ON contact_addresses (contact_id);

-- Search terms (store/internal/terms): a name word or a run of digits,
-- and the record (the contact, or one of its referrals) it came from.
CREATE TABLE search_terms (
	term text COLLATE "C" NOT NULL,
	contact_id text COLLATE "C" NOT NULL,
	source_id text COLLATE "C" NOT NULL,
	PRIMARY KEY (term, contact_id, source_id)
);
CREATE INDEX search_terms_source ON search_terms (contact_id, source_id);

CREATE TABLE conversations (
	contact_id text COLLATE "C" PRIMARY KEY,
	data bytea NOT NULL
);

CREATE TABLE messages (
	contact_id text COLLATE "C" NOT NULL,
	id bigint NOT NULL,
	inbound boolean NOT NULL,
	data bytea NOT NULL,
	PRIMARY KEY (contact_id, id)
);
CREATE INDEX messages_inbound ON messages (contact_id, id) WHERE inbound;

CREATE TABLE referrals (
	id text COLLATE "C" PRIMARY KEY,
	contact_id text COLLATE "C" NOT NULL,
	status text COLLATE "C" NOT NULL,
	needs text[] COLLATE "C" NOT NULL,
	created_ns bigint NOT NULL,
	data bytea NOT NULL
);
CREATE INDEX referrals_time ON referrals (created_ns, length(id), id);
CREATE INDEX referrals_status ON referrals (status, created_ns, length(id), id);
CREATE INDEX referrals_needs ON referrals USING gin (needs);

-- The outbox. Pending rows are what the dispatchers claim: by sending
-- identity (channel), rank, then when due, then id.
CREATE TABLE outbox (
	id bigint PRIMARY KEY,
	status text COLLATE "C" NOT NULL,
	channel text COLLATE "C" NOT NULL,
	rank integer NOT NULL,
	next_ns bigint NOT NULL,
	owner text COLLATE "C" NOT NULL,
	lease_ns bigint NOT NULL,
	provider_id text COLLATE "C" NOT NULL,
	data bytea NOT NULL
);
CREATE INDEX outbox_pending ON outbox (next_ns, id) WHERE status = 'pending';
CREATE INDEX outbox_queue ON outbox (channel, rank, next_ns, id) WHERE status = 'pending';
CREATE INDEX outbox_provider ON outbox (provider_id, id) WHERE provider_id <> '';

CREATE TABLE timers (
	id text COLLATE "C" PRIMARY KEY,
	due_ns bigint NOT NULL,
	data bytea NOT NULL
);
CREATE INDEX timers_due ON timers (due_ns, id);

-- Events: ids are assigned so that every id a reader can still be
-- handed is above every id it has been handed (see events.go); xid is the
-- writing transaction's id (0 for events copied in by linkline migrate).
CREATE TABLE events (
	id bigint PRIMARY KEY,
	xid bigint NOT NULL,
	contact_id text COLLATE "C" NOT NULL,
	data bytea NOT NULL
);
CREATE INDEX events_contact ON events (contact_id, id) WHERE contact_id <> '';

-- One active (open or claimed) handoff per person.
CREATE TABLE handoffs (
	id text COLLATE "C" PRIMARY KEY,
	contact_id text COLLATE "C" NOT NULL,
	active boolean NOT NULL,
	urgent boolean NOT NULL,
	opened_ns bigint NOT NULL,
	data bytea NOT NULL
);
CREATE UNIQUE INDEX handoffs_one_active ON handoffs (contact_id) WHERE active;
CREATE INDEX handoffs_active_order ON handoffs ((NOT urgent), opened_ns, length(id), id) WHERE active;

CREATE TABLE enrolments (
	token text COLLATE "C" PRIMARY KEY,
	data bytea NOT NULL
);

CREATE TABLE settings (
	key text COLLATE "C" PRIMARY KEY,
	value text NOT NULL
);

CREATE TABLE token_buckets (
	key text COLLATE "C" NOT NULL,
	full_ns bigint NOT NULL,
	data bytea NOT NULL,
	CONSTRAINT token_buckets_pkey PRIMARY KEY (key)
);
CREATE INDEX token_buckets_full ON token_buckets (full_ns);

-- One user per email (normalised as bot.NormalizeEmail does).
CREATE TABLE users (
	id text COLLATE "C" PRIMARY KEY,
	email text COLLATE "C" NOT NULL,
	created_ns bigint NOT NULL,
	data bytea NOT NULL,
	CONSTRAINT users_email_key UNIQUE (email)
);

CREATE TABLE sessions (
	token text COLLATE "C" PRIMARY KEY,
	data bytea NOT NULL
);

CREATE TABLE audit (
	id bigint PRIMARY KEY,
	data bytea NOT NULL
);

CREATE TABLE surveys (
	id text COLLATE "C" PRIMARY KEY,
	contact_id text COLLATE "C" NOT NULL,
	at_ns bigint NOT NULL,
	data bytea NOT NULL
);
CREATE INDEX surveys_contact ON surveys (contact_id, at_ns, length(id), id);

CREATE TABLE schedules (
	id text COLLATE "C" PRIMARY KEY,
	contact_id text COLLATE "C" NOT NULL,
	data bytea NOT NULL
);
CREATE INDEX schedules_contact ON schedules (contact_id, length(id), id);

CREATE TABLE dir_services (
	id text COLLATE "C" PRIMARY KEY,
	feed text COLLATE "C" NOT NULL,
	data bytea NOT NULL
);
CREATE INDEX dir_services_feed ON dir_services (feed, id);

CREATE TABLE dir_terms (
	id text COLLATE "C" PRIMARY KEY,
	data bytea NOT NULL
);

-- Postcodes ("p:" + postcode) and outward-code centroids ("o:" + code),
-- to float32 precision as bbolt keeps them.
CREATE TABLE postcodes (
	key text COLLATE "C" PRIMARY KEY,
	lat real NOT NULL,
	lon real NOT NULL
);
