package console

import (
	"net/http"
	"strings"
)

// route is one console endpoint. Public routes are served without a
// session; everything else requires one.
type route struct {
	method, path string
	public       bool
	handle       func(*Console, http.ResponseWriter, *http.Request)
}

// routeTable lists every console endpoint. Tests enumerate it to prove
// that each non-public one refuses a request without a session.
var routeTable = []route{
	{"GET", "/console/login", true, (*Console).loginShow},
	{"POST", "/console/login", true, (*Console).loginCheck},
	{"GET", "/console/static/{file}", true, (*Console).static},
	{"POST", "/console/logout", false, (*Console).logout},
	{"GET", "/console/{$}", false, (*Console).inboxShow},
	{"GET", "/console/inbox", false, (*Console).inboxFragment},
	{"GET", "/console/events", false, (*Console).eventsStream},
	{"GET", "/console/contacts/{id}", false, (*Console).conversationShow},
	{"POST", "/console/contacts/{id}/reply", false, (*Console).conversationReply},
	{"POST", "/console/contacts/{id}/takeover", false, (*Console).takeOver},
	{"POST", "/console/contacts/{id}/reachable", false, (*Console).reachableRetry},
	{"GET", "/console/contacts/{id}/messages/{msg}/media/{n}", false, (*Console).mediaFetch},
	{"POST", "/console/handoffs/{id}/claim", false, (*Console).handoffClaim},
	{"POST", "/console/handoffs/{id}/assign", false, (*Console).handoffAssign},
	{"POST", "/console/handoffs/{id}/unassign", false, (*Console).handoffUnassign},
	{"POST", "/console/handoffs/{id}/resolve", false, (*Console).handoffResolve},
	{"GET", "/console/referrals", false, (*Console).referralsList},
	{"POST", "/console/referrals.csv", false, (*Console).referralsExport},
	{"POST", "/console/referrals.json", false, (*Console).referralsExportPRSB},
	{"POST", "/console/referrals/{id}/status", false, (*Console).referralStatus},
	{"GET", "/console/contacts", false, (*Console).contactsSearch},
	{"POST", "/console/contacts", false, (*Console).contactCreate},
	{"GET", "/console/enrol", false, (*Console).enrolShow},
	{"POST", "/console/enrol", false, (*Console).enrolCreate},
	{"GET", "/console/enrol/{token}", false, (*Console).enrolLink},
	{"GET", "/console/audit", false, (*Console).auditShow},
	{"GET", "/console/reports/outcomes", false, (*Console).outcomesShow},
	{"POST", "/console/reports/outcomes.csv", false, (*Console).outcomesExport},
	{"GET", "/console/reports", false, (*Console).reportsShow},
	{"POST", "/console/reports.csv", false, (*Console).reportsExport},
	{"GET", "/console/try", false, (*Console).tryShow},
	{"POST", "/console/try", false, (*Console).trySend},
	{"POST", "/console/try/start", false, (*Console).tryStart},
	{"POST", "/console/contacts/{id}/notes", false, (*Console).noteAdd},
	{"POST", "/console/contacts/{id}/checkins", false, (*Console).checkinAdd},
	{"POST", "/console/checkins/{id}", false, (*Console).checkinChange},
	{"GET", "/console/directory", false, (*Console).directoryShow},
	{"GET", "/console/directory/services/{id}", false, (*Console).directoryService},
	{"POST", "/console/directory/services/{id}/send", false, (*Console).directorySend},
	{"GET", "/console/admin/canned", false, (*Console).cannedShow},
	{"POST", "/console/admin/canned", false, (*Console).cannedSave},
	{"GET", "/console/admin/hours", false, (*Console).hoursShow},
	{"POST", "/console/admin/hours", false, (*Console).hoursSave},
	{"GET", "/console/admin/users", false, (*Console).usersShow},
	{"POST", "/console/admin/users", false, (*Console).userAdd},
	{"POST", "/console/admin/users/{id}", false, (*Console).userChange},
	{"GET", "/console/settings", false, (*Console).settingsShow},
	{"POST", "/console/settings/passkeys/begin", false, (*Console).passkeyRegisterBegin},
	{"POST", "/console/settings/passkeys/finish", false, (*Console).passkeyRegisterFinish},
	{"POST", "/console/settings/passkeys/remove", false, (*Console).passkeyRemove},
}

// mfaRoutes are the second-factor pages: served to a session that has
// passed the password only (requirePartial), and to nobody else.
var mfaRoutes = []route{
	{"GET", "/console/mfa", false, (*Console).mfaShow},
	{"POST", "/console/mfa", false, (*Console).mfaCheck},
	{"GET", "/console/mfa/setup", false, (*Console).mfaSetupShow},
	{"POST", "/console/mfa/setup", false, (*Console).mfaSetupCheck},
	{"POST", "/console/mfa/passkey/begin", false, (*Console).passkeyLoginBegin},
	{"POST", "/console/mfa/passkey/finish", false, (*Console).passkeyLoginFinish},
}

// routes builds the handler: security headers on everything, bodies over
// MaxBody refused, cross-origin state-changing requests refused, and a
// session required for every route not marked public.
func (c *Console) routes() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range routeTable {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { rt.handle(c, w, r) })
		if rt.public {
			mux.Handle(rt.method+" "+rt.path, h)
		} else {
			mux.Handle(rt.method+" "+rt.path, c.requireSession(h))
		}
	}
	for _, rt := range mfaRoutes {
		mux.Handle(rt.method+" "+rt.path, c.requirePartial(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { rt.handle(c, w, r) })))
	}
	mux.Handle("/console/", c.requireSession(http.HandlerFunc(c.notFound)))
	cop := http.NewCrossOriginProtection()
	return c.hsts(securityHeaders(c.htmlErrors(limitBody(cop.Handler(mux)))))
}

// hsts tells browsers to use only https for this host for two years, on
// every answer given over https or when the public URL is https.
func (c *Console) hsts(next http.Handler) http.Handler {
	public := strings.HasPrefix(c.cfg.PublicURL, "https://")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if public || c.overHTTPS(r) {
			w.Header().Set("Strict-Transport-Security", "max-age=63072000")
		}
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows only the console's own scripts, styles and
// connections: a person's message that smuggled in markup could not run.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}
