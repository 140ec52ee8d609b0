package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/twilio/twilio-go/client"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
	"github.com/linkline/linkline/store/bolt"
)

// registerPlainLoad adds --plain: the yardstick for the server's write path.
func registerPlainLoad(fs *flag.FlagSet, o *loadOptions) {
	fs.BoolVar(&o.Plain, "plain", false, "with --serve: first load a plain durable receiver (signature check, form parse, one bbolt group-committed write per message, no engine) with the same schedule, then the server, and print the ratio of their throughputs")
}

// plainReceiver is the least a durable SMS webhook can do: check Twilio's
// signature, parse the form, store the message in bbolt through the same
// group commit the server uses, and answer 200 once it is on disk. Its
// throughput on this machine is the ceiling for linkline serve's.
type plainReceiver struct {
	store     *bolt.DB
	validator client.RequestValidator
	publicURL string
}

func (p *plainReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/healthz" {
		w.WriteHeader(http.StatusOK)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	params := map[string]string{}
	for k, v := range r.PostForm {
		params[k] = v[0]
	}
	if !p.validator.Validate(p.publicURL+r.URL.Path, params, r.Header.Get("X-Twilio-Signature")) {
		http.Error(w, "bad signature", http.StatusForbidden)
		return
	}
	ev := &bot.Event{At: time.Now(), Kind: "plain.inbound", Data: map[string]string{
		"sid": params["MessageSid"], "from": params["From"], "body": params["Body"]}}
	if err := p.store.Update(r.Context(), func(tx bot.Tx) error { return tx.AddEvent(ev) }); err != nil {
		http.Error(w, "store", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	io.WriteString(w, "<Response></Response>")
}

// loadPlain runs o's schedule against a plain receiver on a temporary
// database and returns what it measured.
func loadPlain(ctx context.Context, o loadOptions, info io.Writer) (*loadReport, error) {
	dir, err := os.MkdirTemp("", "linkline-plain-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	store, err := bolt.Open(ctx, filepath.Join(dir, "plain.db"), bolt.Options{})
	if err != nil {
		return nil, err
	}
	defer store.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	o.URL = "http://" + ln.Addr().String()
	o.PublicURL = o.URL
	// The receiver checks signatures with the token the in-process server
	// is given (the fake Twilio's); --auth-token is what loadgen signs with.
	srv := &http.Server{Handler: &plainReceiver{store: store, validator: client.NewRequestValidator(twiliotest.AuthToken), publicURL: o.URL},
		ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	httpc := &http.Client{Timeout: o.Timeout, Transport: &http.Transport{
		MaxIdleConnsPerHost: o.Concurrency, MaxConnsPerHost: o.Concurrency, IdleConnTimeout: 30 * time.Second,
	}}
	defer httpc.CloseIdleConnections()
	if err := waitHealthy(ctx, httpc, o.URL); err != nil {
		return nil, err
	}
	fmt.Fprintf(info, "loadgen: plain receiver, %g/s for %s to %s%s, concurrency %d, %d numbers\n",
		o.Rate, o.Duration, o.URL, twilio.SMSPath, o.Concurrency, o.Numbers)
	senders := make([]*sender, o.Numbers)
	for i := range senders {
		senders[i] = &sender{from: fmt.Sprintf("+44770%07d", i), step: 1}
	}
	rep := fire(ctx, o, httpc, senders)
	rep.Replies = -1
	return rep, nil
}

// printRatio prints the server's throughput and p99 beside the plain
// receiver's.
func printRatio(w io.Writer, plain, served *loadReport) {
	rate := func(r *loadReport) float64 {
		if s := r.Elapsed.Seconds(); s > 0 {
			return float64(r.Status[http.StatusOK]) / s
		}
		return 0
	}
	p, s := rate(plain), rate(served)
	ratio := 0.0
	if p > 0 {
		ratio = s / p
	}
	fmt.Fprintf(w, "ratio      linkline serve %.0f OK/s, p99 %.1fms; plain receiver %.0f OK/s, p99 %.1fms; ratio %.2f\n",
		s, float64(percentile(served.Latency, 0.99).Microseconds())/1000,
		p, float64(percentile(plain.Latency, 0.99).Microseconds())/1000, ratio)
}
