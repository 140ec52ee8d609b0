package console

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/templates"
)

// cannedKey is the setting that holds the canned replies, a JSON list.
const cannedKey = "console.canned"

// maxCanned bounds the number of canned replies.
const maxCanned = 50

// maxReplySegments is the most SMS parts a canned reply may take; the
// reply box warns above it too (static/console.js).
const maxReplySegments = 3

// cannedReplies returns the team's canned replies.
func cannedReplies(tx bot.Tx) ([]string, error) {
	v, err := tx.Setting(cannedKey)
	if errors.Is(err, bot.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var out []string
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		return nil, fmt.Errorf("console: decode canned replies: %w", err)
	}
	return out, nil
}

// pickCanned returns canned reply number choice ("" or out of range: "").
func pickCanned(tx bot.Tx, choice string) (string, error) {
	i, err := strconv.Atoi(choice)
	if err != nil {
		return "", nil
	}
	all, err := cannedReplies(tx)
	if err != nil || i < 0 || i >= len(all) {
		return "", err
	}
	return all[i], nil
}

// cannedShow lets an admin edit the canned replies, one a line.
func (c *Console) cannedShow(w http.ResponseWriter, r *http.Request) {
	if !c.admin(w, r) {
		return
	}
	var all []string
	if err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		var err error
		all, err = cannedReplies(tx)
		return err
	}); err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, "canned", http.StatusOK, map[string]any{"Title": "Canned replies", "Page": "canned", "Text": strings.Join(all, "\n")})
}

// cannedSave stores the canned replies from the form.
func (c *Console) cannedSave(w http.ResponseWriter, r *http.Request) {
	if !c.admin(w, r) {
		return
	}
	var all []string
	typed := r.PostFormValue("canned")
	for line := range strings.Lines(typed) {
		if line = strings.TrimSpace(line); line != "" {
			all = append(all, line)
		}
	}
	// What was typed comes back with the reason, to be put right.
	var errs formErrors
	if len(all) > maxCanned {
		errs.add("canned-text", fmt.Sprintf("keep to %d canned replies: there are %d", maxCanned, len(all)))
	}
	// Saved as they will be sent: typographic punctuation as GSM-7 (one
	// SMS rate), and none longer than maxReplySegments texts.
	for i, line := range all {
		all[i] = templates.SMSPunctuation(line)
		if n, _ := templates.Segments(all[i]); n > maxReplySegments && errs == nil {
			errs.add("canned-text", fmt.Sprintf("canned reply %d would be sent as %d texts: keep each to %d", i+1, n, maxReplySegments))
		}
	}
	if errs != nil {
		c.render(w, r, "canned", http.StatusBadRequest, map[string]any{"Title": "Canned replies", "Page": "canned",
			"Text": typed, "Errors": errs})
		return
	}
	data, _ := json.Marshal(all)
	u := userFrom(r.Context())
	err := c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		if err := tx.PutSetting(cannedKey, string(data)); err != nil {
			return err
		}
		return tx.AddAudit(&bot.AuditEntry{At: c.cfg.Clock.Now(), UserID: u.ID, Action: bot.AuditCannedSaved, Detail: strconv.Itoa(len(all))})
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/console/admin/canned", http.StatusSeeOther)
}

// admin reports whether the signed-in user is an admin, and otherwise
// answers 403.
func (c *Console) admin(w http.ResponseWriter, r *http.Request) bool {
	if u := userFrom(r.Context()); u != nil && u.Admin {
		return true
	}
	c.render(w, r, "error", http.StatusForbidden, map[string]any{"Title": errorTitle(http.StatusForbidden), "Message": "Only admins can do that."})
	return false
}
