package bot

import (
	"time"
)

// AuditAction names what a console user did, e.g. "claim". Actions are
// stored, so an action once written keeps its name.
type AuditAction string

// AuditEntry records that a console user looked at or changed a person's
// record, or signed in. The audit log is append-only.
type AuditEntry struct {
	ID     uint64      `json:"id"`
	At     time.Time   `json:"at"`
	UserID string      `json:"user_id"`
	Action AuditAction `json:"action"`
	// ContactID is the person whose record was touched, if any.
	ContactID string `json:"contact_id,omitempty"`
	// Detail says more (a handoff id, an outcome); never message text.
	Detail string `json:"detail,omitempty"`
}

// Audit actions the console records.
const (
	AuditLogin       AuditAction = "login"
	AuditLoginFailed AuditAction = "login.failed"
	AuditLogout      AuditAction = "logout"
	AuditView        AuditAction = "view"
	AuditReply       AuditAction = "reply"
	AuditClaim       AuditAction = "claim"
	AuditTakeOver    AuditAction = "takeover"
	AuditReachable   AuditAction = "reachable"
	AuditMediaFetch  AuditAction = "media.fetch"
	AuditResolve     AuditAction = "resolve"
	AuditUserAdded   AuditAction = "user.added"
	// Records a link worker changes from the console.
	AuditContactCreated AuditAction = "contact.created"
	AuditNote           AuditAction = "note"
	AuditReferralStatus AuditAction = "referral.status"
	AuditCannedSaved    AuditAction = "canned.saved"
	AuditEnrolCreated   AuditAction = "enrol"
)

// Audit actions for data protection requests.
const (
	AuditExport AuditAction = "export"
	AuditErase  AuditAction = "erase"
)

// AuditSignpost is the audit action of a link worker sending a person a
// service's details from the console.
const AuditSignpost AuditAction = "signpost"
