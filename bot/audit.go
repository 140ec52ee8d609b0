package bot

import "time"

// AuditEntry records that a console user looked at or changed a person's
// record, or signed in. The audit log is append-only.
type AuditEntry struct {
	ID     uint64    `json:"id"`
	At     time.Time `json:"at"`
	UserID string    `json:"user_id"`
	Action string    `json:"action"`
	// ContactID is the person whose record was touched, if any.
	ContactID string `json:"contact_id,omitempty"`
	// Detail says more (a handoff id, an outcome); never message text.
	Detail string `json:"detail,omitempty"`
}

// Audit actions the console records.
const (
	AuditLogin       = "login"
	AuditLoginFailed = "login.failed"
	AuditLogout      = "logout"
	AuditView        = "view"
	AuditReply       = "reply"
	AuditClaim       = "claim"
	AuditTakeOver    = "takeover"
	AuditReachable   = "reachable"
	AuditMediaFetch  = "media.fetch"
	AuditResolve     = "resolve"
	AuditUserAdded   = "user.added"
)
