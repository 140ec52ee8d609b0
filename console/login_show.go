package console

import (
	"net/http"
	"strings"
)

// loginShow shows the sign-in form.
func (c *Console) loginShow(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, "login", http.StatusOK, map[string]any{"Title": "Sign in", "Next": safeNext(r.FormValue("next"))})
}

// safeNext keeps a post-login destination only if it is a console path,
// so the login form cannot send people to another site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/console/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/console/"
	}
	return next
}
