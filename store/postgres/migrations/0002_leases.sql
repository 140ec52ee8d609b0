-- Leases for work one instance does at a time (leader.go). The epoch
-- rises each time the lease changes hands (or lapses), so a deposed
-- holder's late writes can be told from the current holder's.
CREATE TABLE leases (
	name text COLLATE "C" PRIMARY KEY,
	holder text NOT NULL,
	epoch bigint NOT NULL,
	until timestamptz NOT NULL
);
