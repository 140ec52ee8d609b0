package console

import (
	"errors"
	"mime"
	"net/http"
)

// MaxBody is the largest request body the console reads. Its forms are a
// few kilobytes (a reply is at most 4000 characters); the limit stops a
// client making the server read megabytes to fill a form.
const MaxBody = 256 << 10

// limitBody refuses, with 413, a request whose body is larger than
// MaxBody: at once when Content-Length says so, without reading it; else
// while reading it. A form is parsed here, before any handler, so that a
// body cut short is refused instead of being handled as an empty form
// (PostFormValue would hide the error).
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > MaxBody {
			tooLarge(w)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
		if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/x-www-form-urlencoded" {
			if err := r.ParseForm(); err != nil {
				if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
					tooLarge(w)
					return
				}
				http.Error(w, "cannot read the form", http.StatusBadRequest)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func tooLarge(w http.ResponseWriter) {
	// The rest of the body is not read: the connection is not reused.
	w.Header().Set("Connection", "close")
	http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
}
