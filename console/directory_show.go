package console

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/directory"
)

// maxServices is how many services a directory search shows.
const maxServices = 50

// directoryForm is the directory page's query: words, a need, and where
// from (a postcode typed in, or the person's, when the page was opened
// for a person) within how far.
type directoryForm struct {
	Q, Need, Postcode, Contact string
	Km                         int
}

var directoryKm = []int{2, 5, 10, 25}

func parseDirectoryForm(r *http.Request) directoryForm {
	q := r.URL.Query()
	f := directoryForm{Q: strings.TrimSpace(q.Get("q")), Need: strings.TrimSpace(q.Get("need")),
		Postcode: strings.TrimSpace(q.Get("postcode")), Contact: strings.TrimSpace(q.Get("contact")), Km: 10}
	if km, err := strconv.Atoi(q.Get("km")); err == nil && slices.Contains(directoryKm, km) {
		f.Km = km
	}
	return f
}

// directoryShow searches the service directory by words, need and
// distance. Opened for a person (?contact=ID), it starts from their
// newest referral's postcode and needs and offers to send them a service;
// that is a view of the person's record and is audited.
func (c *Console) directoryShow(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	f := parseDirectoryForm(r)
	data := map[string]any{"Title": "Local services", "Page": "directory", "Form": f, "KmChoices": directoryKm}
	m := c.cfg.Directory
	if m == nil {
		c.render(w, r, "directory", http.StatusOK, data)
		return
	}
	data["Needs"], data["Total"] = m.Needs(), m.Len()
	var results []directory.Match
	err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		if day, err := tx.Setting(directory.SettingPostcodesLoaded); err == nil && len(day) >= 4 {
			data["Attribution"] = directory.Attribution(day[:4])
		}
		q := directory.Query{Text: f.Q, Limit: maxServices, MaxKm: float64(f.Km), Now: c.cfg.Clock.Now()}
		if f.Contact != "" {
			ct, ref, err := personFor(tx, f.Contact)
			if err != nil {
				return err
			}
			data["Person"], data["PersonName"] = ct, displayName(ct)
			if ref != nil && !r.URL.Query().Has("postcode") {
				f.Postcode = ref.Postcode
			}
			if ref != nil && !r.URL.Query().Has("need") && len(ref.Needs) > 0 {
				f.Need = ref.Needs[0]
			}
		}
		if f.Need != "" {
			q.Needs = []string{f.Need}
		}
		if f.Postcode != "" {
			from, prec, err := directory.Locate(tx, f.Postcode)
			switch {
			case errors.Is(err, directory.ErrNoLocation):
				data["Errors"] = formErrors{{Field: "dir-postcode",
					Message: "We cannot place that postcode (not loaded, or in Northern Ireland), so distance is not used."}}
			case err != nil:
				return err
			default:
				q.From, q.HasFrom = from, true
				data["Precision"] = prec
			}
		}
		data["Form"] = f
		results = m.Match(q)
		return nil
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if f.Contact != "" {
		c.audit(r.Context(), u, bot.AuditView, f.Contact, "directory")
	}
	data["Results"] = results
	c.render(w, r, "directory", http.StatusOK, data)
}

// personFor reads a contact and their newest referral (nil if none).
func personFor(tx bot.Tx, id string) (*bot.Contact, *bot.Referral, error) {
	ct, err := tx.Contact(id)
	if err != nil {
		return nil, nil, err
	}
	var ref *bot.Referral
	err = tx.Referrals(func(x *bot.Referral) bool {
		if x.ContactID == id {
			ref = x
			return false
		}
		return true
	})
	return ct, ref, err
}

// directoryService shows one service in full, where it came from, and,
// for a person, the message they would be sent and a button to send it.
func (c *Console) directoryService(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	id := r.PathValue("id")
	contact := strings.TrimSpace(r.URL.Query().Get("contact"))
	data := map[string]any{"Page": "directory"}
	err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		s, err := tx.DirService(id)
		if err != nil {
			return err
		}
		data["Service"], data["Title"] = s, s.Name
		var terms []string
		for _, tid := range s.Terms {
			name := tid
			_ = tx.DirTerms(func(t *bot.DirTerm) bool {
				if t.ID == tid {
					name = t.Name
					return false
				}
				return true
			})
			terms = append(terms, name)
		}
		data["Terms"] = terms
		postcode := ""
		if contact != "" {
			ct, ref, err := personFor(tx, contact)
			if err != nil {
				return err
			}
			data["Person"], data["PersonName"] = ct, displayName(ct)
			if ref != nil {
				postcode = ref.Postcode
			}
		}
		offer, err := (&directory.Signposter{Matcher: c.cfg.Directory}).Offer(r.Context(), tx, id, postcode)
		data["Text"] = offer.Text
		return err
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if contact != "" {
		c.audit(r.Context(), u, bot.AuditView, contact, "directory service "+id)
	}
	c.render(w, r, "directory_service", http.StatusOK, data)
}

// directorySend sends a service's details to a person as the link
// worker's message, records it on their referral and audits it.
func (c *Console) directorySend(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	id := r.PathValue("id")
	contact := strings.TrimSpace(r.PostFormValue("contact"))
	if contact == "" {
		c.fail(w, r, bot.Errorf(bot.EInvalid, "choose the person to send it to"))
		return
	}
	if err := c.cfg.Engine.SendService(r.Context(), contact, u.ID, id); err != nil {
		c.fail(w, r, err)
		return
	}
	c.audit(r.Context(), u, bot.AuditSignpost, contact, fmt.Sprintf("sent directory service %s", id))
	http.Redirect(w, r, "/console/contacts/"+contact+"#transcript", http.StatusSeeOther)
}
