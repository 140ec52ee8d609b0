package console

import (
	"net/http"
	"strings"
)

// errorTitles are the page titles of error pages: "Error: " first, as the
// GOV.UK and NHS design systems do, so a screen reader says so at once.
var errorTitles = map[int]string{
	http.StatusBadRequest:            "Error: check what you entered",
	http.StatusUnauthorized:          "Error: please sign in",
	http.StatusForbidden:             "Error: not allowed",
	http.StatusNotFound:              "Error: page not found",
	http.StatusMethodNotAllowed:      "Error: not allowed",
	http.StatusConflict:              "Error: changed by someone else",
	http.StatusRequestEntityTooLarge: "Error: too much to send",
	http.StatusInternalServerError:   "Error: something went wrong",
}

// errorMessages are what an error page says for a refusal that happens
// before any console handler runs (the method, the body, the origin).
var errorMessages = map[int]string{
	http.StatusBadRequest:            "We could not read what was sent. Please go back and try again.",
	http.StatusUnauthorized:          "Please sign in again.",
	http.StatusForbidden:             "That was refused because it did not come from a page of this console. Please go back and try again.",
	http.StatusNotFound:              "There is no such page.",
	http.StatusMethodNotAllowed:      "That page cannot be used that way. Please go back and use the page's own buttons.",
	http.StatusRequestEntityTooLarge: "That was too much to send at once. Please go back and send less.",
	http.StatusInternalServerError:   "Something went wrong. Please try again.",
}

func errorTitle(status int) string {
	if t, ok := errorTitles[status]; ok {
		return t
	}
	return "Error"
}

// notFound is the page for a console path that does not exist, in the
// console's layout (the person is signed in by then).
func (c *Console) notFound(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, "error", http.StatusNotFound, map[string]any{"Title": errorTitle(http.StatusNotFound),
		"Message": errorMessages[http.StatusNotFound], "Back": backLink(r)})
}

// htmlErrors turns the plain-text error responses of the standard library
// and of the checks that run before a session is known (405 from the mux,
// 403 from cross-origin protection, 400 and 413 from the body limit, 500
// from a failed render) into an accessible HTML page: a language, a title
// that starts "Error:", a heading and a way back. Other responses pass
// through untouched.
func (c *Console) htmlErrors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&errorWriter{ResponseWriter: w, c: c, r: r}, r)
	})
}

// errorWriter replaces a plain-text error body with the error page.
type errorWriter struct {
	http.ResponseWriter
	c       *Console
	r       *http.Request
	replace bool // the body written is dropped: the page was sent instead
	wrote   bool
}

func (e *errorWriter) WriteHeader(status int) {
	if e.wrote {
		return
	}
	e.wrote = true
	h := e.Header()
	if status < 400 || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
		e.ResponseWriter.WriteHeader(status)
		return
	}
	e.replace = true
	h.Del("Content-Length")
	msg, ok := errorMessages[status]
	if !ok {
		msg = http.StatusText(status) + "."
	}
	e.c.renderTemplate(e.ResponseWriter, e.r, "error", "layout", status, map[string]any{
		"Title": errorTitle(status), "Message": msg, "Back": backLink(e.r)})
}

func (e *errorWriter) Write(b []byte) (int, error) {
	if !e.wrote {
		e.WriteHeader(http.StatusOK)
	}
	if e.replace {
		return len(b), nil
	}
	return e.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (the event
// stream flushes through it).
func (e *errorWriter) Unwrap() http.ResponseWriter { return e.ResponseWriter }

// Flush passes flushes on for handlers that assert http.Flusher.
func (e *errorWriter) Flush() {
	if f, ok := e.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
