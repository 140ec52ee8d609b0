package console

import (
	"net/http"
	"strings"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/auth"
)

// usersShow lists the console's users for an admin, with forms to add
// one, disable or enable one, and set a new password.
func (c *Console) usersShow(w http.ResponseWriter, r *http.Request) {
	if !c.admin(w, r) {
		return
	}
	c.renderUsers(w, r, http.StatusOK, userForm{}, nil)
}

// userForm is what an admin typed in the form to add a user, kept when it
// comes back with errors (never the password).
type userForm struct {
	Email, Name string
	Admin       bool
}

// renderUsers shows the users page, with errs against its fields.
func (c *Console) renderUsers(w http.ResponseWriter, r *http.Request, status int, f userForm, errs formErrors) {
	var users []*bot.User
	if err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		return tx.Users(func(u *bot.User) bool { users = append(users, u); return true })
	}); err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, "users", status, map[string]any{"Title": "Users", "Page": "users", "Users": users,
		"MinPassword": auth.MinPasswordLength, "Form": f, "Errors": errs})
}

// userAdd creates a user from the admin's form.
func (c *Console) userAdd(w http.ResponseWriter, r *http.Request) {
	if !c.admin(w, r) {
		return
	}
	f := userForm{Email: strings.TrimSpace(r.PostFormValue("email")), Name: strings.TrimSpace(r.PostFormValue("name")),
		Admin: r.PostFormValue("admin") == "on"}
	email := bot.NormalizeEmail(f.Email)
	var errs formErrors
	if !bot.ValidEmail(email) {
		errs.add("user-email", "enter an email address, like name@example.org")
	}
	nu := &bot.User{Email: email, Name: f.Name, Admin: f.Admin, CreatedAt: c.cfg.Clock.Now()}
	if err := auth.SetPassword(nu, r.PostFormValue("password")); bot.ErrorCode(err) == bot.EInvalid {
		errs.addErr("user-password", err)
	} else if err != nil {
		c.fail(w, r, err)
		return
	}
	if errs != nil {
		c.renderUsers(w, r, http.StatusBadRequest, f, errs)
		return
	}
	c.saveUser(w, r, nu, bot.AuditUserAdded)
}

// userChange disables, enables, sets a new password for a user, or
// resets their second step (audited as user.mfa-reset). An
// admin cannot disable themselves, so there is always one admin left.
func (c *Console) userChange(w http.ResponseWriter, r *http.Request) {
	if !c.admin(w, r) {
		return
	}
	me := userFrom(r.Context())
	var u *bot.User
	if err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		var err error
		u, err = tx.User(r.PathValue("id"))
		return err
	}); err != nil {
		c.fail(w, r, err)
		return
	}
	var action bot.AuditAction
	switch r.PostFormValue("action") {
	case "disable":
		if u.ID == me.ID {
			c.renderUsers(w, r, http.StatusBadRequest, userForm{}, formErrors{{Field: "disable-" + u.ID,
				Message: "You cannot disable yourself: ask another admin."}})
			return
		}
		u.Disabled, action = true, AuditUserDisable
	case "enable":
		u.Disabled, action = false, AuditUserEnable
	case "password":
		if err := auth.SetPassword(u, r.PostFormValue("password")); bot.ErrorCode(err) == bot.EInvalid {
			var errs formErrors
			errs.addErr("password-"+u.ID, err)
			c.renderUsers(w, r, http.StatusBadRequest, userForm{}, errs)
			return
		} else if err != nil {
			c.fail(w, r, err)
			return
		}
		action = AuditUserPassword
	case "mfa-reset":
		// They lost their phone and their recovery codes: at their next
		// sign-in they set up the second step again.
		u.ResetSecondFactor()
		action = AuditUserMFAReset
	default:
		c.fail(w, r, bot.Errorf(bot.EInvalid, "unknown action"))
		return
	}
	c.saveUser(w, r, u, action)
}

// Audit actions of an admin changing a user.
const (
	AuditUserDisable  bot.AuditAction = "user.disable"
	AuditUserEnable   bot.AuditAction = "user.enable"
	AuditUserPassword bot.AuditAction = "user.password"
	AuditUserMFAReset bot.AuditAction = "user.mfa-reset"
)

func (c *Console) saveUser(w http.ResponseWriter, r *http.Request, u *bot.User, action bot.AuditAction) {
	me := userFrom(r.Context())
	var current string
	if ck, err := r.Cookie(cookieName); err == nil {
		current = auth.HashToken(ck.Value)
	}
	err := c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		if err := tx.PutUser(u); err != nil {
			return err
		}
		// A disabled user or a new password ends the user's other sessions.
		if action == AuditUserDisable || action == AuditUserPassword || action == AuditUserMFAReset {
			if err := dropSessions(tx, func(s *bot.Session) bool { return s.UserID == u.ID && s.Token != current }); err != nil {
				return err
			}
		}
		// A reset of the second step takes their passkeys too (passkey.go).
		if action == AuditUserMFAReset {
			if had, err := clearPasskeys(tx, u.ID); err != nil {
				return err
			} else if had {
				if err := tx.AddAudit(&bot.AuditEntry{At: c.cfg.Clock.Now(), UserID: me.ID, Action: AuditPasskeysCleared, Detail: u.ID}); err != nil {
					return err
				}
			}
		}
		return tx.AddAudit(&bot.AuditEntry{At: c.cfg.Clock.Now(), UserID: me.ID, Action: action, Detail: u.ID})
	})
	if action == bot.AuditUserAdded && bot.ErrorCode(err) == bot.EConflict {
		c.renderUsers(w, r, http.StatusConflict, userForm{Email: u.Email, Name: u.Name, Admin: u.Admin},
			formErrors{{Field: "user-email", Message: "There is a user with that email address already."}})
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/console/admin/users", http.StatusSeeOther)
}
