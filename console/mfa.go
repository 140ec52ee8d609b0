package console

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/boombuler/barcode/qr"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/auth"
)

// MFAMode says whether the console asks for a second factor.
type MFAMode string

const (
	// MFARequired (the default, also as "") asks every user for a TOTP
	// code or a recovery code after the password, and has them enrol at
	// their first sign-in.
	MFARequired MFAMode = "required"
	// MFAOff signs in with the password alone, for local trials; every
	// page says so.
	MFAOff MFAMode = "off"
)

// partialTTL is how long someone has between the password and the code.
const partialTTL = 10 * time.Minute

// Audit actions of the second factor.
const (
	AuditMFAEnrolled     bot.AuditAction = "mfa.enrolled"
	AuditMFAFailed       bot.AuditAction = "mfa.failed"
	AuditMFARecoveryUsed bot.AuditAction = "mfa.recovery_used"
)

// partialFrom is the user and partial session of a request to the
// second-factor pages, put in the context by requirePartial.
type partialKey struct{}

type partial struct {
	user    *bot.User
	session *bot.Session
}

// requirePartial serves the second-factor pages to someone who has given
// the right password (a partial session). Someone signed in already goes
// on to the console; anyone else is sent to sign in.
func (c *Console) requirePartial(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p *partial
		full := false
		token := sessionToken(r)
		err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
			if token == "" {
				return nil
			}
			s, err := tx.Session(token)
			if errors.Is(err, bot.ErrNotFound) {
				return nil
			} else if err != nil {
				return err
			}
			if !c.cfg.Clock.Now().Before(s.Expires) {
				return nil
			}
			if !s.Partial {
				full = c.sessionLive(tx, token)
				return nil
			}
			u, err := tx.User(s.UserID)
			if err != nil {
				return err
			}
			if !u.Disabled {
				p = &partial{user: u, session: s}
			}
			return nil
		})
		if err != nil {
			c.fail(w, r, err)
			return
		}
		if full {
			// Signed in already: on to the console.
			http.Redirect(w, r, safeNext(r.FormValue("next")), http.StatusSeeOther)
			return
		}
		if p == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/console/login?next="+url.QueryEscape(safeNext(r.FormValue("next"))), http.StatusSeeOther)
				return
			}
			http.Error(w, "sign in first", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), partialKey{}, p)))
	})
}

func partialFrom(ctx context.Context) *partial {
	p, _ := ctx.Value(partialKey{}).(*partial)
	return p
}

// mfaShow asks for the code from the authenticator app, or a recovery
// code.
func (c *Console) mfaShow(w http.ResponseWriter, r *http.Request) {
	p := partialFrom(r.Context())
	if p.user.TOTPSecret == "" {
		http.Redirect(w, r, "/console/mfa/setup?next="+url.QueryEscape(safeNext(r.FormValue("next"))), http.StatusSeeOther)
		return
	}
	c.render(w, r, "mfa", http.StatusOK, map[string]any{"Title": "Second step", "Next": safeNext(r.FormValue("next")),
		"Passkeys": c.hasPasskeys(r.Context(), p.user.ID)})
}

// mfaCheck takes a code: a TOTP code newer than the last one accepted, or
// an unused recovery code. Wrong codes are slowed down like wrong
// passwords and audited.
func (c *Console) mfaCheck(w http.ResponseWriter, r *http.Request) {
	p := partialFrom(r.Context())
	next := safeNext(r.PostFormValue("next"))
	again := func(status int, msg string) {
		var errs formErrors
		errs.add("code", msg)
		c.render(w, r, "mfa", status, map[string]any{"Title": "Second step", "Next": next, "Errors": errs})
	}
	keys := signinKeys(clientIP(r, c.cfg.TrustedProxies), p.user.Email)
	wait, err := c.limits.wait(r.Context(), keys)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if wait > 0 {
		secs := int((wait + time.Second - 1) / time.Second)
		c.refusals.Note("console", "signin_slowed")
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		again(http.StatusTooManyRequests, fmt.Sprintf("Too many wrong tries. Please wait %s and try again.", waitWords(secs)))
		return
	}
	code := strings.TrimSpace(r.PostFormValue("code"))
	now := c.cfg.Clock.Now()
	// The code is taken (its step stored, or the recovery code removed)
	// in one transaction, so two requests cannot both use it.
	err = c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		u, err := tx.User(p.user.ID) // fresh: the last step may have moved
		if err != nil {
			return err
		}
		if step, good := auth.CheckTOTP(u.TOTPSecret, code, now, u.TOTPLastStep); good {
			u.TOTPLastStep = step
		} else if auth.UseRecoveryCode(u, code) {
			if err := tx.AddAudit(&bot.AuditEntry{At: now, UserID: u.ID, Action: AuditMFARecoveryUsed,
				Detail: fmt.Sprintf("%d recovery codes left", len(u.RecoveryCodes))}); err != nil {
				return err
			}
		} else {
			return errWrongCode
		}
		return tx.PutUser(u)
	})
	switch {
	case errors.Is(err, errWrongCode):
		c.mfaFailed(w, r, "mfa", map[string]any{"Title": "Second step", "Next": next})
		return
	case err != nil:
		c.fail(w, r, err)
		return
	}
	if !c.startSession(w, r, p.user, p.session.Token, nil) {
		return
	}
	c.signinPassed(r.Context(), keys)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// errWrongCode is a code that is wrong or was used already.
var errWrongCode = bot.Errorf(bot.EInvalid, "That code is wrong or has been used already. Please wait for a new code and try again.")

// mfaFailed answers a wrong or used code.
func (c *Console) mfaFailed(w http.ResponseWriter, r *http.Request, page string, data map[string]any) {
	p := partialFrom(r.Context())
	c.signinFailed(r.Context(), signinKeys(clientIP(r, c.cfg.TrustedProxies), p.user.Email))
	c.audit(r.Context(), p.user, AuditMFAFailed, "", "")
	var errs formErrors
	errs.addErr("code", errWrongCode)
	data["Errors"] = errs
	c.render(w, r, page, http.StatusUnauthorized, data)
}

// mfaSetupShow starts enrolment: a new secret, kept on the partial
// session until a code proves the app has it, shown as a QR code drawn
// here (no outside service sees it) and as text to type.
func (c *Console) mfaSetupShow(w http.ResponseWriter, r *http.Request) {
	p := partialFrom(r.Context())
	next := safeNext(r.FormValue("next"))
	if p.user.TOTPSecret != "" {
		http.Redirect(w, r, "/console/mfa?next="+url.QueryEscape(next), http.StatusSeeOther)
		return
	}
	secret := auth.NewTOTPSecret()
	err := c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		s, err := tx.Session(p.session.Token)
		if err != nil {
			return err
		}
		s.PendingTOTP = secret
		return tx.PutSession(s)
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, "mfa_setup", http.StatusOK, c.setupData(p.user, secret, next))
}

func (c *Console) setupData(u *bot.User, secret, next string) map[string]any {
	return map[string]any{"Title": "Set up your second step", "Next": next, "Secret": spaced(secret),
		"QR": qrSVG(auth.TOTPURL("Linkline", u.Email, secret))}
}

// mfaSetupCheck finishes enrolment with a code from the app: the secret
// becomes the user's, ten recovery codes are made and shown once, and the
// person is signed in.
func (c *Console) mfaSetupCheck(w http.ResponseWriter, r *http.Request) {
	p := partialFrom(r.Context())
	next := safeNext(r.PostFormValue("next"))
	secret := p.session.PendingTOTP
	if p.user.TOTPSecret != "" || secret == "" {
		http.Redirect(w, r, "/console/mfa/setup?next="+url.QueryEscape(next), http.StatusSeeOther)
		return
	}
	now := c.cfg.Clock.Now()
	step, ok := auth.CheckTOTP(secret, r.PostFormValue("code"), now, 0)
	if !ok {
		c.mfaFailed(w, r, "mfa_setup", c.setupData(p.user, secret, next))
		return
	}
	codes, hashes := auth.NewRecoveryCodes()
	if !c.startSession(w, r, p.user, p.session.Token, func(tx bot.Tx) error {
		u, err := tx.User(p.user.ID)
		if err != nil {
			return err
		}
		if u.TOTPSecret != "" {
			return bot.Errorf(bot.EConflict, "a second step was set up already; please sign in again")
		}
		u.TOTPSecret, u.TOTPLastStep, u.RecoveryCodes = secret, step, hashes
		if err := tx.PutUser(u); err != nil {
			return err
		}
		return tx.AddAudit(&bot.AuditEntry{At: now, UserID: u.ID, Action: AuditMFAEnrolled})
	}) {
		return
	}
	c.signinPassed(r.Context(), signinKeys(clientIP(r, c.cfg.TrustedProxies), p.user.Email))
	// Shown once: the page is not stored (Cache-Control: no-store).
	c.render(w, r.WithContext(context.WithValue(r.Context(), userKey{}, p.user)), "mfa_codes", http.StatusOK,
		map[string]any{"Title": "Your recovery codes", "Codes": codes, "Next": next})
}

// spaced groups a secret in fours, to type it into an app.
func spaced(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// qrSVG draws text as a QR code in inline SVG: no image request, no
// outside service, allowed by the console's Content-Security-Policy.
func qrSVG(text string) template.HTML {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return ""
	}
	n := code.Bounds().Dx()
	const quiet = 4
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="240" height="240" role="img" aria-label="QR code for your authenticator app" shape-rendering="crispEdges"><rect width="100%%" height="100%%" fill="#fff"/><path fill="#000" d="`, n+2*quiet, n+2*quiet)
	for y := range n {
		for x := range n {
			if r, _, _, _ := code.At(x, y).RGBA(); r == 0 {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x+quiet, y+quiet)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()) // numbers only: nothing of the text is written
}
