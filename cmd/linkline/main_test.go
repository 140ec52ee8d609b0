package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkline/linkline/store/teststore"
)

// defaultConfig is the configuration with every flag at its default and
// no environment.
func defaultConfig(t *testing.T) *config {
	t.Helper()
	for _, v := range os.Environ() {
		k, _, _ := strings.Cut(v, "=")
		if k == "LINKLINE_TEST_PG" || k == "LINKLINE_REQUIRE_PG" {
			continue // which database the tests run on (store/teststore), not configuration
		}
		if strings.HasPrefix(v, "LINKLINE_") || strings.HasPrefix(v, "TWILIO_") || strings.HasPrefix(v, "TELEGRAM_") {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	var c config
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	c.register(fs)
	c.channels.register(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	return &c
}

func runCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestChatCarriesOnAfterRestart(t *testing.T) {
	db := teststore.DB(t, filepath.Join(t.TempDir(), "chat.db"))
	code, out, errs := runCmd(t, "hello\nyes\n", "chat", "--db", db)
	if code != 0 || !strings.Contains(out, "Is that OK?") || !strings.Contains(out, "What is your name?") {
		t.Fatalf("first chat: code %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	code, out, _ = runCmd(t, "Sam\n", "chat", "--db", db)
	if code != 0 || !strings.Contains(out, "date of birth") || strings.Contains(out, "Is that OK?") {
		t.Fatalf("second chat did not carry on: code %d\n%s", code, out)
	}
	// Another person has their own conversation.
	code, out, _ = runCmd(t, "hi\n", "chat", "--db", db, "--as", "sms:07700 900123")
	if code != 0 || !strings.Contains(out, "Is that OK?") {
		t.Fatalf("chat as another address: code %d\n%s", code, out)
	}
	if code, _, errs := runCmd(t, "", "chat", "--db", db, "--as", "pigeon"); code == 0 || !strings.Contains(errs, "channel:id") {
		t.Fatalf("bad --as: code %d, %s", code, errs)
	}
}

func TestFlowsCheck(t *testing.T) {
	if code, out, errs := runCmd(t, "", "flows", "check"); code != 0 || !strings.Contains(out, "ok:") {
		t.Fatalf("built-in flows: code %d\n%s%s", code, out, errs)
	}
	dir := t.TempDir()
	bad := "id: bad\nstart: a\nstates:\n  a: {say: [no.such.key], expect: text, next: b}\n"
	if err := os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCmd(t, "", "flows", "check", dir)
	if code != 1 || !strings.Contains(out, `bad.yaml: flow bad: state a: leads to unknown state "b"`) ||
		!strings.Contains(out, `state a: template key "no.such.key" does not exist`) {
		t.Fatalf("bad flow: code %d\n%s", code, out)
	}
}

func TestFlowsTest(t *testing.T) {
	if code, out, errs := runCmd(t, "", "flows", "test"); code != 0 || !strings.Contains(out, "scripts passed") {
		t.Fatalf("built-in scripts: code %d\n%s%s", code, out, errs)
	}
	file := filepath.Join(t.TempDir(), "s.yaml")
	os.WriteFile(file, []byte("- name: wrong\n  steps:\n    - person: hi\n    - bot: goodbye\n"), 0o600)
	code, out, _ := runCmd(t, "", "flows", "test", file)
	if code != 1 || !strings.Contains(out, "FAIL") || !strings.Contains(out, `step 2: expected the bot to say "goodbye"`) {
		t.Fatalf("failing script: code %d\n%s", code, out)
	}
}

func TestSafetyEval(t *testing.T) {
	file := filepath.Join(t.TempDir(), "eval.tsv")
	os.WriteFile(file, []byte("risk\ti want to kill myself\nok\tmy feet are killing me\nrisk\tlovely weather today\n"), 0o600)
	code, out, errs := runCmd(t, "", "safety", "eval", file)
	if code != 0 || !strings.Contains(out, "recall:       50.0%") || !strings.Contains(out, "precision:   100.0%") ||
		!strings.Contains(out, "urgent tier alone") || !strings.Contains(out, "line 3: lovely weather today") ||
		!strings.Contains(out, "false alarms: 0") {
		t.Fatalf("safety eval: code %d\n%s%s", code, out, errs)
	}
}

// TestSafetyEvalConversation reads each one-message line after an ordinary
// line of the same file: "see you thursday" after a person's tablets is
// ordinary, and the output shows the earlier message it was read after.
func TestSafetyEvalConversation(t *testing.T) {
	file := filepath.Join(t.TempDir(), "eval.tsv")
	os.WriteFile(file, []byte("ok\tcan you check my repeat prescription for my blood pressure tablets\nok\tsee you thursday then\nrisk\tlovely weather today\n"), 0o600)
	code, out, errs := runCmd(t, "", "safety", "eval", "--conversation", file)
	if code != 0 || !strings.Contains(out, "false alarms: 0") ||
		!strings.Contains(out, "line 3: see you thursday then | lovely weather today") {
		t.Fatalf("safety eval --conversation: code %d\n%s%s", code, out, errs)
	}
}

func TestSafetyEvalSeveralFiles(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.tsv"), filepath.Join(dir, "b.tsv")
	os.WriteFile(a, []byte("risk:welsh\tdw i isio marw\n"), 0o600)
	os.WriteFile(b, []byte("human\tcan I talk to someone please\nanswer\tMargaret Jones\n"), 0o600)
	code, out, errs := runCmd(t, "", "safety", "eval", a, b)
	if code != 0 || !strings.Contains(out, "== "+a) || !strings.Contains(out, "risk:welsh") || !strings.Contains(out, "recall:      100.0%") ||
		!strings.Contains(out, "person requests: 1 of 1 recognised") {
		t.Fatalf("safety eval of two files: code %d\n%s%s", code, out, errs)
	}
}

// TestSafetyTrain trains both models from a small file and checks the
// files written, and that bad input (no requests to learn from, no --out)
// is refused without writing the request model.
func TestSafetyTrain(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "dev.tsv")
	os.WriteFile(data, []byte(strings.Repeat("risk\ti want to kill myself tonight\nok\tthe walking group is lovely\n"+
		"human\tcan i talk to someone please\nanswer\tMargaret Jones\n", 3)), 0o600)
	riskOut, reqOut := filepath.Join(dir, "m.txt"), filepath.Join(dir, "r.txt")
	code, out, errs := runCmd(t, "", "safety", "train", "--out", riskOut, "--requests-out", reqOut, data)
	if code != 0 || !strings.Contains(out, "request model: trained on 3 requests and 6 other lines") {
		t.Fatalf("safety train: code %d\n%s%s", code, out, errs)
	}
	for file, head := range map[string]string{riskOut: "# Linkline risk model:", reqOut: "# Linkline request model (a request for a person):"} {
		b, err := os.ReadFile(file)
		if err != nil || !strings.HasPrefix(string(b), head) || !strings.Contains(string(b), "\nversion hashed-2\n") {
			t.Errorf("%s: %v, starts %.80q, want %q and a version line", file, err, b, head)
		}
	}

	noRequests := filepath.Join(dir, "risk-only.tsv")
	os.WriteFile(noRequests, []byte("risk\ti want to die\nok\tlovely day\n"), 0o600)
	missing := filepath.Join(dir, "none.txt")
	if code, _, errs := runCmd(t, "", "safety", "train", "--out", riskOut, "--requests-out", missing, noRequests); code == 0 || !strings.Contains(errs, "needs both") {
		t.Errorf("training the request model with no requests: code %d, %s", code, errs)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("a request model was written from no requests")
	}
	if code, _, errs := runCmd(t, "", "safety", "train", data); code != 2 || !strings.Contains(errs, "--requests-out") {
		t.Errorf("no --out: code %d, %s", code, errs)
	}
}

func TestUsage(t *testing.T) {
	if code, _, errs := runCmd(t, "", "frobnicate"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Fatalf("unknown command: %d %s", code, errs)
	}
	if code, _, _ := runCmd(t, ""); code != 2 {
		t.Fatalf("no command: %d", code)
	}
}

func TestServeHealthAndShutdown(t *testing.T) {
	db := teststore.DB(t, filepath.Join(t.TempDir(), "serve.db"))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := defaultConfig(t)
	c.DB = db
	var logs bytes.Buffer
	log, _ := c.logger(&logs)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, c, ln, log) }()

	serverHealthy(t, ln.Addr().String())
	// A second server on the same bbolt file fails fast and clearly; on
	// PostgreSQL a second process shares the database.
	start := time.Now()
	code, _, errs := runCmd(t, "", "chat", "--db", db)
	if teststore.Postgres() {
		if code != 0 {
			t.Fatalf("second process on PostgreSQL: code %d: %s", code, errs)
		}
	} else if code == 0 || !strings.Contains(errs, "locked") || time.Since(start) > 5*time.Second {
		t.Fatalf("second open: code %d after %v: %s", code, time.Since(start), errs)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not shut down")
	}
	// The database was closed: it opens again.
	if code, _, errs := runCmd(t, "hi\n", "chat", "--db", db); code != 0 {
		t.Fatalf("reopen after shutdown: %s", errs)
	}
	if !strings.Contains(logs.String(), `"msg":"stopped"`) {
		t.Fatalf("logs: %s", logs.String())
	}
}

// TestChatQuitsOnInterrupt: Ctrl-C (which cancels the context) ends an
// interactive chat cleanly while it waits for the next line: exit code 0,
// no "context canceled", and what was said before is kept.
func TestChatQuitsOnInterrupt(t *testing.T) {
	db := teststore.DB(t, filepath.Join(t.TempDir(), "chat.db"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	in, typing := io.Pipe()
	defer typing.Close()
	out := &syncBuffer{said: make(chan struct{}, 100)}
	var errb syncBuffer
	code := make(chan int, 1)
	go func() { code <- run(ctx, []string{"chat", "--db", db}, in, out, &errb) }()
	if _, err := io.WriteString(typing, "hello\n"); err != nil {
		t.Fatal(err)
	}
	for !strings.Contains(out.String(), "Is that OK?") {
		<-out.said
	}
	cancel() // Ctrl-C, with no line on its way
	if c := <-code; c != 0 || strings.Contains(errb.String(), "context canceled") {
		t.Fatalf("chat after Ctrl-C: code %d, stderr:\n%s", c, errb.String())
	}
	// The conversation was kept: the next chat carries on from it.
	c, stdout, _ := runCmd(t, "yes\n", "chat", "--db", db)
	if c != 0 || !strings.Contains(stdout, "What is your name?") {
		t.Fatalf("chat after the interrupted one: code %d\n%s", c, stdout)
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader; each
// write is signalled on said (when set).
type syncBuffer struct {
	mu   sync.Mutex
	b    bytes.Buffer
	said chan struct{}
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.b.Write(p)
	if s.said != nil {
		select {
		case s.said <- struct{}{}:
		default:
		}
	}
	return n, err
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestMistypedDBIsAnError: every command but serve, chat and user add
// refuses a --db that does not exist, naming it, instead of creating an
// empty database and answering from it.
func TestMistypedDBIsAnError(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "linkine.db") // a typo
	feed := filepath.Join("..", "..", "directory", "testdata", "onspd-sample.csv")
	for _, args := range [][]string{
		{"report", "outcomes"},
		{"export", "--contact", "sms:+447700900123"},
		{"erase", "--contact", "sms:+447700900123", "--yes"},
		{"checkin", "list", "--contact", "sms:+447700900123"},
		{"survey", "report"},
		{"enrol", "--name", "Sam Carer", "--bot", "linkline_bot"},
		{"backup", "--db", db, filepath.Join(dir, "copy.db")},
		{"postcodes", "import", feed},
		{"directory", "import", feed},
	} {
		t.Run(strings.Join(args[:2], " "), func(t *testing.T) {
			if !slices.Contains(args, "--db") {
				args = append(args, "--db", db)
			}
			code, _, errs := runCmd(t, "", args...)
			if code == 0 || !strings.Contains(errs, "no database at "+db) {
				t.Errorf("code %d, stderr:\n%s", code, errs)
			}
			if _, err := os.Stat(db); err == nil {
				os.Remove(db)
				t.Errorf("%v created the mistyped database", args)
			}
		})
	}
}

// TestMissingContactNamesAddress: a contact that is not there is named in
// the error as it was typed.
func TestMissingContactNamesAddress(t *testing.T) {
	db := teststore.DB(t, filepath.Join(t.TempDir(), "linkline.db"))
	if code, _, errs := runCmd(t, "hi\n", "chat", "--db", db); code != 0 {
		t.Fatalf("chat: %s", errs)
	}
	for _, args := range [][]string{
		{"export", "--contact", "sms:+447700900999"},
		{"checkin", "list", "--contact", "sms:+447700900999"},
	} {
		code, _, errs := runCmd(t, "", append(args, "--db", db)...)
		if code == 0 || !strings.Contains(errs, "no contact at sms:+447700900999") {
			t.Errorf("%v: code %d, stderr:\n%s", args, code, errs)
		}
	}
}

// existingDB creates an empty database at path, as serve's first start
// would, for the commands that need one to exist.
func existingDB(t *testing.T, path string) string {
	t.Helper()
	db := teststore.Open(t, path) // bbolt, or PostgreSQL under LINKLINE_TEST_PG
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return teststore.DB(t, path)
}

// serverHealthy waits for a server starting on addr (loadgen's
// waitHealthy) and checks that /healthz says exactly "ok".
func serverHealthy(t *testing.T, addr string) {
	t.Helper()
	if err := waitHealthy(t.Context(), http.DefaultClient, "http://"+addr); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "ok\n" {
		t.Fatalf("healthz = %d %q", resp.StatusCode, body)
	}
}
