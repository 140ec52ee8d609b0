package bot

// Check-in event kinds.
const (
	// EventCheckinSkipped: a scheduled run did not start (Data "reason").
	EventCheckinSkipped EventKind = "checkin.skipped"
	// EventCheckinMissed: a started check-in expired unanswered (Data
	// "missed": how many in a row).
	EventCheckinMissed EventKind = "checkin.missed"
)

// EventErased records on a person's timeline that their data was erased
// (Data: "by"). It is written only when a care record is kept.
const EventErased EventKind = "contact.erased"

// EventRateLimited records that a contact went over the flood limit (once
// per stretch of messages over it).
const EventRateLimited EventKind = "contact.rate_limited"

// EventUnreachable records that a channel reported a person cannot be
// reached on it; Data holds the channel and the provider's code.
const EventUnreachable EventKind = "contact.unreachable"

// EventReachable records that a channel reaches a person again.
const EventReachable EventKind = "contact.reachable"

// EventStaleButton records a button press that answered no current
// question.
const EventStaleButton EventKind = "message.stale_button"

// Signposting: after a referral the person is offered up to three local
// services for their needs (a flow's {do: signpost} action); MORE gives the
// next three and LOCAL the best three again, at any time after a referral.
// Nothing is offered while a handoff is open (the engine holds every
// message for the link worker then) or to a message that showed risk. What
// was offered is recorded on the referral (PRSB "support offered").

// EventSignposted is recorded when a person is given services' details.
const EventSignposted EventKind = "signpost.offered"
