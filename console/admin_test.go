package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/auth"
)

func TestNotes(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann Worker", false)
	ct := w.send("sim:sam", "hello")
	w.drain("sim:sam")
	c := w.client()
	c.login("ann@example.org")
	path := "/console/contacts/" + ct.ID + "/notes"
	if res := c.post(path, url.Values{"note": {" "}}); res.status != http.StatusBadRequest {
		t.Errorf("empty note: %d, want 400", res.status)
	}
	if res := c.post("/console/contacts/nope/notes", url.Values{"note": {"x"}}); res.status != http.StatusNotFound {
		t.Errorf("note on an unknown contact: %d, want 404", res.status)
	}
	if res := c.post(path, url.Values{"note": {"Prefers a call after 4pm <b>"}}); res.status != http.StatusSeeOther {
		t.Fatalf("note: %d", res.status)
	}
	res := c.get("/console/contacts/" + ct.ID)
	if !strings.Contains(res.body, "Ann Worker<br>Prefers a call after 4pm &lt;b&gt;") {
		t.Errorf("the note is not on the page, escaped, with its author")
	}
	if got := w.drain("sim:sam"); len(got) != 0 {
		t.Errorf("the person received %q; a private note must not be sent", got)
	}
}

func TestCannedReplies(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	w.addUser("boss@example.org", "Boss", true)
	worker, admin := w.client(), w.client()
	worker.login("ann@example.org")
	admin.login("boss@example.org")
	if res := worker.post("/console/admin/canned", url.Values{"canned": {"x"}}); res.status != http.StatusForbidden {
		t.Errorf("link worker edits canned replies: %d, want 403", res.status)
	}
	if res := admin.post("/console/admin/canned", url.Values{"canned": {"Thanks, we will call you today.\n\n  We are closed today, back tomorrow.  \n"}}); res.status != http.StatusSeeOther {
		t.Fatalf("save canned: %d", res.status)
	}
	if res := admin.get("/console/admin/canned"); !strings.Contains(res.body, "Thanks, we will call you today.\nWe are closed today, back tomorrow.</textarea>") {
		t.Errorf("canned replies not kept one a line:\n%s", res.body)
	}
	ct := w.send("sim:sam", "hello")
	w.drain("sim:sam")
	page := worker.get("/console/contacts/" + ct.ID)
	if !strings.Contains(page.body, `<option value="1">We are closed today, back tomorrow.</option>`) {
		t.Fatalf("the reply box does not offer the canned replies")
	}
	// Without JavaScript: pick one, leave the box empty, send.
	if res := worker.post("/console/contacts/"+ct.ID+"/reply", url.Values{"canned": {"1"}, "text": {""}}); res.status != http.StatusSeeOther {
		t.Fatalf("send canned: %d\n%s", res.status, res.body)
	}
	if got := w.drain("sim:sam"); len(got) != 1 || got[0] != "We are closed today, back tomorrow." {
		t.Errorf("person received %q", got)
	}
	if res := worker.post("/console/contacts/"+ct.ID+"/reply", url.Values{"canned": {"7"}, "text": {""}}); res.status != http.StatusBadRequest {
		t.Errorf("empty reply with no such canned reply: %d, want 400", res.status)
	}
}

func TestUsersAdmin(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	boss := w.addUser("boss@example.org", "Boss", true)
	worker, admin := w.client(), w.client()
	worker.login("ann@example.org")
	admin.login("boss@example.org")
	for _, path := range []string{"/console/admin/users", "/console/audit", "/console/admin/canned"} {
		if res := worker.get(path); res.status != http.StatusForbidden {
			t.Errorf("link worker GET %s: %d, want 403", path, res.status)
		}
	}
	if res := worker.post("/console/admin/users", url.Values{"email": {"x@example.org"}, "password": {"long enough password"}}); res.status != http.StatusForbidden {
		t.Errorf("link worker adds a user: %d, want 403", res.status)
	}
	tests := []struct {
		name   string
		form   url.Values
		status int
	}{
		{"not an email", url.Values{"email": {"carol"}, "password": {"long enough password"}}, http.StatusBadRequest},
		{"short password", url.Values{"email": {"carol@example.org"}, "password": {"short"}}, http.StatusBadRequest},
		{"taken email", url.Values{"email": {"ANN@example.org"}, "password": {"long enough password"}}, http.StatusConflict},
		{"added", url.Values{"email": {"carol@example.org"}, "name": {"Carol"}, "password": {"long enough password"}}, http.StatusSeeOther},
	}
	for _, tt := range tests {
		if res := admin.post("/console/admin/users", tt.form); res.status != tt.status {
			t.Errorf("%s: %d, want %d", tt.name, res.status, tt.status)
		}
	}
	carol := w.client()
	if res := carol.post("/console/login", url.Values{"email": {"carol@example.org"}, "password": {"long enough password"}}); res.status != http.StatusSeeOther {
		t.Fatalf("the new user cannot sign in: %d", res.status)
	}
	var carolID string
	w.view(func(tx bot.Tx) error {
		u, err := tx.UserByEmail("carol@example.org")
		if err == nil {
			carolID = u.ID
		}
		return err
	})
	if res := admin.post("/console/admin/users/"+carolID, url.Values{"action": {"disable"}}); res.status != http.StatusSeeOther {
		t.Fatalf("disable: %d", res.status)
	}
	if res := carol.get("/console/"); res.status != http.StatusSeeOther {
		t.Errorf("a disabled user's open session still works: %d", res.status)
	}
	if res := admin.post("/console/admin/users/"+boss.ID, url.Values{"action": {"disable"}}); res.status != http.StatusBadRequest {
		t.Errorf("admin disables themselves: %d, want 400", res.status)
	}
	if res := admin.post("/console/admin/users/"+carolID, url.Values{"action": {"password"}, "password": {"short"}}); res.status != http.StatusBadRequest {
		t.Errorf("short new password: %d, want 400", res.status)
	}
	// Disabling ended Carol's session in the store, not only its use.
	carolCookies := carol.http.Jar.Cookies(mustURL(t, w.srv.URL+"/console/"))
	if len(carolCookies) != 1 {
		t.Fatalf("Carol's cookies: %v", carolCookies)
	}
	w.view(func(tx bot.Tx) error {
		for _, ck := range carolCookies {
			if _, err := tx.Session(auth.HashToken(ck.Value)); err == nil {
				t.Error("the disabled user's session is still stored")
			}
		}
		return nil
	})
	res := admin.get("/console/admin/users")
	if !strings.Contains(res.body, "carol@example.org") || !strings.Contains(res.body, "disabled") {
		t.Errorf("users page does not list Carol as disabled")
	}
}
