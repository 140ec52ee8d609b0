package console

import (
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/linkline/linkline/bot"
)

// maxAudit is how many audit entries one page shows.
const maxAudit = 500

// auditShow shows the audit log, newest first, to admins, filtered by
// user, contact or action.
func (c *Console) auditShow(w http.ResponseWriter, r *http.Request) {
	if !c.admin(w, r) {
		return
	}
	q := r.URL.Query()
	userF, contactF, actionF := strings.TrimSpace(q.Get("user")), strings.TrimSpace(q.Get("contact")), strings.TrimSpace(q.Get("action"))
	type row struct {
		*bot.AuditEntry
		Who string
	}
	var rows []row
	var people peopleNames
	err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		names := userNames(tx)
		var ids []string
		if err := tx.Audit(func(a *bot.AuditEntry) bool {
			if (userF == "" || a.UserID == userF) && (contactF == "" || a.ContactID == contactF) && (actionF == "" || string(a.Action) == actionF) {
				rows = append(rows, row{a, names(a.UserID)})
				if a.ContactID != "" {
					ids = append(ids, a.ContactID)
				}
			}
			return len(rows) < maxAudit
		}); err != nil {
			return err
		}
		var err error
		people, err = lookupPeople(tx, ids)
		return err
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, "audit", http.StatusOK, map[string]any{"Title": "Audit log", "Page": "audit", "Rows": rows,
		"UserF": userF, "ContactF": contactF, "ActionF": actionF, "People": people, "Actions": slices.Sorted(maps.Keys(actionLabels))})
}
