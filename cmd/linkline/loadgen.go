package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
)

// loadOptions is what `linkline loadgen` runs.
type loadOptions struct {
	// Directory, with Serve, is how many services a fake directory feed
	// has; people then refer themselves from its postcode and are
	// signposted (0: no directory).
	Directory   int
	URL         string        // the server's base URL requests go to
	PublicURL   string        // the base URL signatures are made for; URL when empty
	Rate        float64       // inbound messages offered per second
	Duration    time.Duration // how long to offer them
	Concurrency int           // requests in flight at most
	Numbers     int           // distinct sender numbers
	Timeout     time.Duration // per request
	AuthToken   string        // signs the webhooks
	AccountSID  string        // the AccountSid the webhooks name
	To          string        // the service's number, the To of every message
	Drain       time.Duration // how long to wait for replies to stop after the run
	Quiet       time.Duration // how long without a reply counts as stopped
	Warmup      bool          // first put every number mid-flow, unmeasured
	CPUProfile  string        // write a CPU profile of the measured run here

	Serve      bool    // run the real server in-process on a temporary database
	FakeTwilio bool    // start a fake Twilio and count the replies that reach it
	TwilioRate float64 // the in-process server's TWILIO_RATE
	DB         string  // the in-process server's database; a temporary file when empty
	ServerLog  string  // the in-process server's log level

	FakeTelegram  bool    // start a fake Bot API and push Telegram messages too
	TelegramRate  float64 // Telegram messages per second, with FakeTelegram
	TelegramChats int     // distinct Telegram chats, with FakeTelegram

	// WhatsApp sends every message as WhatsApp through Twilio
	// ("whatsapp:+44..."); with --serve the server has a WhatsApp sender.
	WhatsApp bool

	FloodNumbers     int // numbers flooding the server during the run, unmeasured
	FloodConcurrency int // messages each flooding number keeps in flight

	Crisis      int           // new numbers that text risk during the run
	CrisisEvery time.Duration // time between them

	Plain bool // first load a plain durable receiver, for the ratio
}

// loadReport is what a load run measured.
type loadReport struct {
	Scheduled  int             // messages the schedule offered
	Sent       int             // requests sent
	Skipped    int             // not sent: every connection busy at the due time
	Late       int             // sent more than lateAfter after the due time
	Status     map[int]int     // HTTP status counts
	Errors     int             // requests that got no HTTP answer
	FirstErr   string          // the first such error
	Elapsed    time.Duration   // from the first due time to the last answer
	Latency    []time.Duration // of every answered request, sorted
	Warmed     int             // numbers put mid-flow before the run
	WarmTime   time.Duration   // how long the warm-up (and its replies) took
	Replies    int             // messages the fake Twilio accepted during and after the run; -1 without a fake
	RunReplies int             // of which during the run
	DrainTime  time.Duration   // after the run until replies stopped
	Telegram   string          // with --fake-telegram, what it pushed and got back
	Flood      string          // with --flood-numbers, what the flooders sent
	Crisis     string          // with --crisis, how soon each crisis text reached Twilio
	Lag        []time.Duration // with a fake Twilio: each reply's wait from its webhook's answer until Twilio took it, sorted
	Gap        time.Duration   // with a fake Twilio: the longest time in the run and drain with no reply taken
	Twice      int             // with a fake Twilio: replies that repeated the one before to the same number
}

// lateAfter is how far behind its schedule a request may leave and still
// count as on time.
const lateAfter = 10 * time.Millisecond

// script is what each number says, in order: a first message, then a
// self-referral answered all the way through, then RESTART, after which it
// continues from script[1] ("yes" to the privacy notice) for ever.
var script = []string{
	"hello", "yes", "Sam Jones", "12/03/1958", "SW1A 1AA", "Riverside Surgery", "no",
	"Getting out of the house more", "1, 3", "1", "mornings", "send", "RESTART",
}

// runLoadgen fires signed Twilio inbound webhooks at a server and reports
// throughput, status counts, latency and, with a fake Twilio, the replies.
func runLoadgen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o loadOptions
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.StringVar(&o.URL, "url", "http://127.0.0.1:8080", "base URL of the server to load, or several separated by commas (instances on one PostgreSQL database), taken in turn (ignored with --serve)")
	fs.StringVar(&o.PublicURL, "public-url", "", "the server's LINKLINE_PUBLIC_URL, which signatures cover (default each --url)")
	fs.Float64Var(&o.Rate, "rate", 1000, "inbound messages per second, sent on schedule whether or not earlier ones were answered")
	fs.DurationVar(&o.Duration, "duration", 30*time.Second, "how long to send")
	fs.IntVar(&o.Concurrency, "concurrency", 64, "requests in flight at most; a message due when all are busy is skipped and counted")
	fs.IntVar(&o.Numbers, "numbers", 10000, "distinct sender numbers, each working through a self-referral")
	fs.DurationVar(&o.Timeout, "timeout", 10*time.Second, "per-request timeout")
	fs.StringVar(&o.AuthToken, "auth-token", env("TWILIO_AUTH_TOKEN", twiliotest.AuthToken), "auth token that signs the webhooks (TWILIO_AUTH_TOKEN)")
	fs.StringVar(&o.AccountSID, "account-sid", env("TWILIO_ACCOUNT_SID", twiliotest.AccountSID), "AccountSid the webhooks name (TWILIO_ACCOUNT_SID)")
	fs.StringVar(&o.To, "to", env("TWILIO_FROM_NUMBER", twiliotest.Number), "the service's number, the To of each message (TWILIO_FROM_NUMBER)")
	fs.DurationVar(&o.Drain, "drain", 30*time.Second, "with a fake Twilio: how long at most to wait for replies after the run")
	fs.DurationVar(&o.Quiet, "quiet", time.Second, "with a fake Twilio: how long without a reply ends the wait (longer than a claim's lease, to see a dead instance's rows go out)")
	fs.BoolVar(&o.WhatsApp, "whatsapp", false, "send WhatsApp messages through Twilio (From whatsapp:+44...) instead of SMS; with --serve the server sends WhatsApp from the fake's number")
	fs.BoolVar(&o.Warmup, "warmup", true, "first send every number its first message, unmeasured, so the measured run is people mid-flow")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write a CPU profile of the measured run (client and, with --serve, server) to this file")
	fs.BoolVar(&o.Serve, "serve", false, "run the real server in-process (as linkline serve does) on a temporary database, with a fake Twilio")
	fs.BoolVar(&o.FakeTwilio, "fake-twilio", false, "start a fake Twilio, print the TWILIO_API_URL to give the server, and count the replies")
	fs.Float64Var(&o.TwilioRate, "twilio-rate", 10000, "with --serve: the server's SMS per second (TWILIO_RATE; the server's own default is 1)")
	fs.StringVar(&o.DB, "db", "", "with --serve: database file (default a temporary one, removed afterwards)")
	fs.StringVar(&o.ServerLog, "server-log-level", "error", "with --serve: the server's log level, logged to stderr")
	fs.IntVar(&o.Directory, "directory", 0, "with --serve: load a fake Open Referral UK feed of this many services around two towns, and refer people from one of its postcodes, so every referral is also signposted")
	registerTelegramLoad(fs, &o)
	registerFloodLoad(fs, &o)
	registerCrisisLoad(fs, &o)
	registerPlainLoad(fs, &o)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if o.Rate <= 0 || o.Duration <= 0 || o.Concurrency <= 0 || o.Numbers <= 0 || o.Timeout <= 0 {
		fmt.Fprintln(stderr, "loadgen: --rate, --duration, --concurrency, --numbers and --timeout must be positive")
		return errUsage
	}
	var plain *loadReport
	if o.Plain {
		if !o.Serve {
			fmt.Fprintln(stderr, "loadgen: --plain needs --serve, so both run on this machine in one run")
			return errUsage
		}
		var err error
		if plain, err = loadPlain(ctx, o, stdout); err != nil {
			return err
		}
		plain.print(stdout, o)
	}
	rep, err := loadgen(ctx, o, stdout, stderr)
	if err != nil {
		return err
	}
	rep.print(stdout, o)
	if plain != nil {
		printRatio(stdout, plain, rep)
	}
	return nil
}

// loadgen runs one load: the server (with --serve), the fake Twilio (with
// --serve or --fake-twilio), the schedule, and the wait for replies.
func loadgen(ctx context.Context, o loadOptions, info, serverLog io.Writer) (*loadReport, error) {
	var fake *twiliotest.Server
	if o.Serve || o.FakeTwilio {
		fake = twiliotest.New()
		defer fake.Close()
		if !o.Serve {
			fmt.Fprintf(info, "fake Twilio: TWILIO_API_URL=%s TWILIO_ACCOUNT_SID=%s TWILIO_AUTH_TOKEN=%s TWILIO_FROM_NUMBER=%s\n",
				fake.URL(), fake.AccountSID, fake.AuthToken, fake.Number)
		}
	}
	tg := newTelegramLoad(o, info)
	defer tg.close()
	if o.Serve {
		stop, err := serveInProcess(ctx, &o, fake, serverLog)
		if err != nil {
			return nil, err
		}
		defer func() {
			if err := stop(); err != nil {
				fmt.Fprintf(info, "in-process server: %v\n", err)
			}
		}()
	}
	client := &http.Client{Timeout: o.Timeout, Transport: &http.Transport{
		MaxIdleConnsPerHost: o.Concurrency, MaxConnsPerHost: o.Concurrency, IdleConnTimeout: 30 * time.Second,
	}}
	defer client.CloseIdleConnections()
	for _, u := range o.targets() {
		if err := waitHealthy(ctx, client, u); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(info, "loadgen: %g/s for %s to %s, concurrency %d, %d numbers\n",
		o.Rate, o.Duration, strings.TrimRight(o.URL, "/")+twilio.SMSPath, o.Concurrency, o.Numbers)
	senders := make([]*sender, o.Numbers)
	for i := range senders {
		senders[i] = &sender{from: fmt.Sprintf("+44770%07d", i)}
		if o.WhatsApp && fake != nil {
			// The fake holds WhatsApp's 24-hour window; these numbers are
			// about to write, so replies to them are inside it.
			fake.OpenWindow(senders[i].from, time.Now())
		}
	}
	var warmed, before int
	var warmTime time.Duration
	if o.Warmup {
		t0 := time.Now()
		var err error
		if warmed, err = warm(ctx, o, client, senders); err != nil {
			return nil, err
		}
		if fake != nil {
			before, _ = drain(ctx, fake, o.Drain, time.Second)
		}
		warmTime = time.Since(t0)
	}
	if o.CPUProfile != "" {
		f, err := os.Create(o.CPUProfile)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
	}
	tg.start(ctx, o.Duration)
	fl := startFlood(ctx, o)
	cl := startCrisis(ctx, o)
	runStart := time.Now()
	rep := fire(ctx, o, client, senders)
	rep.Telegram = tg.finish()
	rep.Flood = fl.finish()
	rep.Crisis = cl.finish(ctx, fake, 30*time.Second)
	if o.CPUProfile != "" {
		pprof.StopCPUProfile()
	}
	rep.Warmed, rep.WarmTime, rep.Replies = warmed, warmTime, -1
	if fake != nil {
		rep.RunReplies = fake.Stats().Accepted - before
		rep.Replies, rep.DrainTime = drain(ctx, fake, o.Drain, max(o.Quiet, time.Second))
		rep.Replies -= before
		rep.Lag = replyLag(fake, senders, runStart)
		rep.Gap, rep.Twice = sendGaps(fake, runStart)
	}
	return rep, nil
}

// warm sends each number its first message, Concurrency at a time, and
// returns how many were answered 200.
func warm(ctx context.Context, o loadOptions, client *http.Client, senders []*sender) (int, error) {
	prefix := sidPrefix()
	var next, ok atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for range o.Concurrency {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(len(senders)) && ctx.Err() == nil; i = next.Add(1) - 1 {
				s := senders[i]
				form := inboundForm(o, fmt.Sprintf("%s%016x", prefix, i), s.from, script[0])
				target, signFor := o.target(int(i))
				status, err := post(ctx, client, target, o.AuthToken, signFor, form)
				switch {
				case err != nil:
					firstErr.CompareAndSwap(nil, err.Error())
				case status == http.StatusOK:
					s.step = 1
					ok.Add(1)
				default:
					firstErr.CompareAndSwap(nil, fmt.Sprintf("status %d", status))
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return int(ok.Load()), err
	}
	if e := firstErr.Load(); e != nil && ok.Load() == 0 {
		return 0, fmt.Errorf("warm-up: no message was accepted (%s)", e)
	}
	return int(ok.Load()), nil
}

// sidPrefix is "SM" and 16 random hex digits: with 16 more it makes a
// MessageSid no other run uses.
func sidPrefix() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "SM" + hex.EncodeToString(b[:])
}

// serveInProcess starts the server as `linkline serve` does, on a
// temporary database (unless o.DB), with SMS pointed at fake, and sets o.URL
// to it. stop shuts it down.
func serveInProcess(ctx context.Context, o *loadOptions, fake *twiliotest.Server, serverLog io.Writer) (stop func() error, err error) {
	var c config
	defaults := flag.NewFlagSet("defaults", flag.ContinueOnError)
	c.register(defaults)
	if err := defaults.Parse(nil); err != nil {
		return nil, err
	}
	c.LogLevel = o.ServerLog
	log, err := c.logger(serverLog)
	if err != nil {
		return nil, err
	}
	dir := ""
	if c.DB = o.DB; c.DB == "" {
		if dir, err = os.MkdirTemp("", "linkline-loadgen-"); err != nil {
			return nil, err
		}
		c.DB = filepath.Join(dir, "linkline.db")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	o.URL = "http://" + ln.Addr().String()
	c.PublicURL, c.Addr = o.URL, ln.Addr().String()
	c.channels = channelConfig{TwilioSID: fake.AccountSID, TwilioToken: fake.AuthToken, TwilioFrom: fake.Number,
		TwilioAPI: fake.URL(), TwilioRate: o.TwilioRate}
	if o.WhatsApp {
		c.channels.WhatsAppFrom, c.channels.WhatsAppRate = fake.Number, o.TwilioRate
	}
	if o.Directory > 0 {
		if err := loadDirectory(ctx, c.DB, o.Directory); err != nil {
			ln.Close()
			os.RemoveAll(dir)
			return nil, err
		}
	}
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan error, 1)
	go func() { done <- serve(sctx, &c, ln, log) }()
	return func() error {
		cancel()
		err := <-done
		if dir != "" {
			os.RemoveAll(dir)
		}
		return err
	}, nil
}

// waitHealthy waits up to 30 s for GET /healthz to answer 200.
func waitHealthy(ctx context.Context, client *http.Client, base string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	u := strings.TrimRight(base, "/") + "/healthz"
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		res, err := client.Do(req)
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", res.StatusCode)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("server at %s is not healthy: %w", u, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// sender is one number working through the script.
type sender struct {
	from string
	step int         // index into script of the next message; touched only while busy
	busy atomic.Bool // a request from this number is in flight
	// posted and answered hold when each of its messages answered 200 in
	// the measured run was sent and answered (for the reply lag); touched
	// only while busy.
	posted, answered []time.Time
}

// fire sends on schedule: message i is due at i/Rate after the start,
// whether or not earlier ones have been answered (open loop). Each number
// has at most one message in flight, so its conversation stays in order.
func fire(ctx context.Context, o loadOptions, client *http.Client, senders []*sender) *loadReport {
	prefix := sidPrefix()

	rep := &loadReport{Status: map[int]int{}, Scheduled: int(o.Rate * o.Duration.Seconds())}
	var mu sync.Mutex // guards rep's counts from the request goroutines
	slots := make(chan struct{}, o.Concurrency)
	var wg sync.WaitGroup
	var last atomic.Int64 // when the last answer came, ns after start
	cursor := 0
	start := time.Now()
	for i := 0; i < rep.Scheduled && ctx.Err() == nil; i++ {
		due := start.Add(time.Duration(float64(i) / o.Rate * float64(time.Second)))
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		select {
		case slots <- struct{}{}:
		default:
			rep.Skipped++
			continue
		}
		s := pick(senders, &cursor)
		if s == nil { // more connections than numbers: every number is busy
			<-slots
			rep.Skipped++
			continue
		}
		if time.Since(due) > lateAfter {
			rep.Late++
		}
		rep.Sent++
		form := inboundForm(o, fmt.Sprintf("%s%016x", prefix, i), s.from, o.say(s.step))
		target, signFor := o.target(i)
		wg.Go(func() {
			defer func() { <-slots }()
			t0 := time.Now()
			status, err := post(ctx, client, target, o.AuthToken, signFor, form)
			lat := time.Since(t0)
			if status == http.StatusOK {
				s.posted, s.answered = append(s.posted, t0), append(s.answered, time.Now())
				if s.step++; s.step == len(script) {
					s.step = 1
				}
			}
			s.busy.Store(false)
			last.Store(int64(time.Since(start)))
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				rep.Errors++
				if rep.FirstErr == "" {
					rep.FirstErr = err.Error()
				}
				return
			}
			rep.Status[status]++
			rep.Latency = append(rep.Latency, lat)
		})
	}
	wg.Wait()
	rep.Elapsed = time.Duration(last.Load())
	slices.Sort(rep.Latency)
	return rep
}

// pick returns the next idle number after *cursor, marked busy, or nil.
func pick(senders []*sender, cursor *int) *sender {
	for range senders {
		s := senders[*cursor]
		*cursor = (*cursor + 1) % len(senders)
		if s.busy.CompareAndSwap(false, true) {
			return s
		}
	}
	return nil
}

// inboundForm is the form Twilio posts for an incoming SMS.
func inboundForm(o loadOptions, sid, from, body string) url.Values {
	if o.WhatsApp {
		return url.Values{
			"SmsMessageSid": {sid}, "NumMedia": {"0"}, "ProfileName": {"Load"}, "MessageType": {"text"},
			"SmsSid": {sid}, "WaId": {strings.TrimPrefix(from, "+")}, "SmsStatus": {"received"}, "Body": {body},
			"To": {twilio.WhatsAppPrefix + o.To}, "NumSegments": {"1"}, "ReferralNumMedia": {"0"}, "MessageSid": {sid},
			"AccountSid": {o.AccountSID}, "From": {twilio.WhatsAppPrefix + from}, "ApiVersion": {"2010-04-01"},
		}
	}
	return url.Values{
		"ToCountry": {"GB"}, "SmsMessageSid": {sid}, "NumMedia": {"0"}, "SmsSid": {sid}, "SmsStatus": {"received"},
		"Body": {body}, "FromCountry": {"GB"}, "To": {o.To}, "NumSegments": {"1"}, "MessageSid": {sid},
		"AccountSid": {o.AccountSID}, "From": {from}, "ApiVersion": {"2010-04-01"},
	}
}

// post sends one signed webhook and returns its HTTP status once the whole
// answer has been read.
func post(ctx context.Context, client *http.Client, target, token, signFor string, form url.Values) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "TwilioProxy/1.1")
	req.Header.Set("X-Twilio-Signature", twiliotest.Signature(token, signFor, form))
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return 0, fmt.Errorf("read answer: %w", err)
	}
	return res.StatusCode, nil
}

// drain waits until no reply has reached fake for quiet, or limit has
// passed, and returns how many replies it accepted and how long that took.
func drain(ctx context.Context, fake *twiliotest.Server, limit, quiet time.Duration) (int, time.Duration) {
	start := time.Now()
	n, since := fake.Stats().Accepted, time.Now()
	for time.Since(start) < limit && time.Since(since) < quiet {
		select {
		case <-ctx.Done():
			return fake.Stats().Accepted, time.Since(start)
		case <-time.After(100 * time.Millisecond):
		}
		if m := fake.Stats().Accepted; m != n {
			n, since = m, time.Now()
		}
	}
	return n, since.Sub(start)
}

// percentile is the p-th percentile (0 < p <= 1) of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func (r *loadReport) print(w io.Writer, o loadOptions) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }
	if r.Warmed > 0 {
		fmt.Fprintf(w, "warm-up    %d numbers sent their first message, and their replies drained, in %.1fs (not measured)\n",
			r.Warmed, r.WarmTime.Seconds())
	}
	fmt.Fprintf(w, "scheduled  %d (%g/s for %s)\n", r.Scheduled, o.Rate, o.Duration)
	fmt.Fprintf(w, "sent       %d; skipped %d (all %d connections busy); late %d (left >%s behind schedule)\n",
		r.Sent, r.Skipped, o.Concurrency, r.Late, lateAfter)
	codes := slices.Sorted(func(yield func(int) bool) {
		for c := range r.Status {
			if !yield(c) {
				return
			}
		}
	})
	var b strings.Builder
	for _, c := range codes {
		fmt.Fprintf(&b, " %d: %d;", c, r.Status[c])
	}
	fmt.Fprintf(w, "answers   %s errors: %d\n", b.String(), r.Errors)
	if r.FirstErr != "" {
		fmt.Fprintf(w, "first error: %s\n", r.FirstErr)
	}
	if secs := r.Elapsed.Seconds(); secs > 0 {
		fmt.Fprintf(w, "throughput %.0f answered/s, %.0f OK/s (over %.2fs)\n",
			float64(len(r.Latency))/secs, float64(r.Status[http.StatusOK])/secs, secs)
	}
	fmt.Fprintf(w, "latency    p50 %s  p90 %s  p99 %s  max %s\n", ms(percentile(r.Latency, 0.50)),
		ms(percentile(r.Latency, 0.90)), ms(percentile(r.Latency, 0.99)), ms(percentile(r.Latency, 1)))
	if r.Replies >= 0 {
		fmt.Fprintf(w, "replies    %d reached the fake Twilio (%d during the run, the rest within %.1fs after)\n",
			r.Replies, r.RunReplies, r.DrainTime.Seconds())
	}
	if len(r.Lag) > 0 {
		fmt.Fprintf(w, "reply lag  p50 %s  p90 %s  p99 %s  max %s (webhook answered, so the reply queued, until the fake Twilio took it)\n",
			ms(percentile(r.Lag, 0.50)), ms(percentile(r.Lag, 0.90)), ms(percentile(r.Lag, 0.99)), ms(percentile(r.Lag, 1)))
		fmt.Fprintf(w, "sending    longest pause %s; %d replies repeated the one before to the same number (sent twice)\n", ms(r.Gap), r.Twice)
	}
	if r.Telegram != "" {
		fmt.Fprintln(w, r.Telegram)
	}
	if r.Flood != "" {
		fmt.Fprintln(w, r.Flood)
	}
	if r.Crisis != "" {
		fmt.Fprintln(w, r.Crisis)
	}
}
