package directory_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/directory"
	"github.com/linkline/linkline/directory/oruktest"
	"github.com/linkline/linkline/store/bolt"
	"github.com/linkline/linkline/templates"
)

func openStore(t *testing.T) bot.Store {
	t.Helper()
	db, err := bolt.Open(context.Background(), filepath.Join(t.TempDir(), "linkline.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func services(t *testing.T, s bot.Store, feed string) map[string]*bot.DirService {
	t.Helper()
	out := map[string]*bot.DirService{}
	err := s.View(context.Background(), func(tx bot.Tx) error {
		return tx.DirServices(feed, func(d *bot.DirService) bool { out[d.ID] = d; return true })
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func client() *directory.Client {
	return &directory.Client{PerPage: 40, Details: true, Backoff: time.Millisecond, Timeout: 5 * time.Second}
}

func TestSyncVersions(t *testing.T) {
	fixtures := oruktest.Services(150)
	tests := []struct {
		name, version string
		opts          oruktest.Options
	}{
		{"v3 full records", "3", oruktest.Options{Broken: true}},
		{"v1 full records", "1", oruktest.Options{Broken: true}},
		{"v1 list level, details fetched", "1", oruktest.Options{Broken: true, ListOnly: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed := oruktest.New(tt.version, fixtures, tt.opts)
			defer feed.Close()
			st := openStore(t)
			var progress []directory.Progress
			im := &directory.Importer{Store: st, Progress: func(p directory.Progress) { progress = append(progress, p) }}
			res, err := im.Sync(context.Background(), client(), feed.URL+"/services", "fixtures")
			if err != nil {
				t.Fatal(err)
			}
			if res.Version != tt.version || res.Read != 303 || res.Stored != 300 || len(res.Skipped) != 3 {
				t.Errorf("result = version %s, read %d, stored %d, skipped %v; want %s, 303, 300, 3",
					res.Version, res.Read, res.Stored, res.Skipped, tt.version)
			}
			if res.Terms != len(oruktest.Terms) {
				t.Errorf("result counts %d taxonomy terms, want %d", res.Terms, len(oruktest.Terms))
			}
			if len(progress) != 8 || progress[7].Stored != 300 {
				t.Errorf("progress = %+v; want 8 pages ending at 300 stored", progress)
			}
			reasons := map[string]bool{}
			for _, s := range res.Skipped {
				r, _, _ := strings.Cut(s.Reason, ":")
				reasons[r] = true
			}
			for _, want := range []string{directory.ReasonBroken, directory.ReasonNoName, directory.ReasonInactive + " (inactive)"} {
				if !reasons[want] {
					t.Errorf("skip reasons %v lack %q", reasons, want)
				}
			}
			got := services(t, st, "fixtures")
			s := got["fixtures:k001"]
			if s == nil {
				t.Fatalf("k001 not stored; have %d services", len(got))
			}
			if len(s.Locations) != 1 || !s.Locations[0].HasPoint || s.Locations[0].Postcode == "" || s.Phone == "" ||
				len(s.Schedules) != 1 || len(s.Schedules[0].Weekdays) != 1 || s.Schedules[0].Opens != "10:00" ||
				!s.Free || len(s.Terms) != 1 || s.Organization == "" {
				t.Errorf("k001 = %+v; want its location, phone, schedule, cost, term and organization", s)
			}
			if want := "A hot meal and a chat with friendly people & a warm welcome at Riverside.\nIt's open to everyone - just come along..."; s.Description != want {
				t.Errorf("description = %q, want %q", s.Description, want)
			}
			var terms int
			_ = st.View(context.Background(), func(tx bot.Tx) error {
				return tx.DirTerms(func(*bot.DirTerm) bool { terms++; return true })
			})
			if terms != len(oruktest.Terms) {
				t.Errorf("%d taxonomy terms stored, want %d", terms, len(oruktest.Terms))
			}
		})
	}
}

func TestSyncRemovesWhatTheFeedDropped(t *testing.T) {
	fixtures := oruktest.Services(50)
	feed := oruktest.New("3", fixtures, oruktest.Options{})
	defer feed.Close()
	st := openStore(t)
	im := &directory.Importer{Store: st}
	if _, err := im.Sync(context.Background(), client(), feed.URL, "f"); err != nil {
		t.Fatal(err)
	}
	// Another feed's services are not touched by this one's sync.
	if err := st.Update(context.Background(), func(tx bot.Tx) error {
		return tx.PutDirService(&bot.DirService{ID: "other:1", Feed: "other", Name: "Other"})
	}); err != nil {
		t.Fatal(err)
	}
	feed.SetServices(fixtures[:60], oruktest.Options{})
	res, err := im.Sync(context.Background(), client(), feed.URL, "f")
	if err != nil {
		t.Fatal(err)
	}
	if res.Removed != 40 || len(services(t, st, "f")) != 60 || len(services(t, st, "other")) != 1 {
		t.Errorf("removed %d, left %d in f and %d in other; want 40, 60, 1", res.Removed, len(services(t, st, "f")), len(services(t, st, "other")))
	}

	// A sync that fails part way removes nothing.
	feed.SetServices(fixtures[:10], oruktest.Options{})
	feed.FailPage(1, 4) // every try of the first page
	if _, err := im.Sync(context.Background(), client(), feed.URL, "f"); err == nil {
		t.Fatal("sync of a failing feed succeeded")
	}
	if n := len(services(t, st, "f")); n != 60 {
		t.Errorf("after a failed sync %d services left, want 60", n)
	}
	// A feed with nothing usable in it changes nothing either.
	feed.SetServices(nil, oruktest.Options{Broken: true})
	if _, err := im.Sync(context.Background(), client(), feed.URL, "f"); !errors.Is(err, directory.ErrEmptyFeed) {
		t.Fatalf("sync of an empty feed: %v, want ErrEmptyFeed", err)
	}
	if n := len(services(t, st, "f")); n != 60 {
		t.Errorf("after an empty feed %d services left, want 60", n)
	}
}

func TestSyncRetriesASlowOrFailingPage(t *testing.T) {
	feed := oruktest.New("1", oruktest.Services(50), oruktest.Options{})
	defer feed.Close()
	feed.SlowPage(2, 3*time.Second)
	feed.FailPage(3, 1)
	c := client()
	c.Timeout = 200 * time.Millisecond
	res, err := (&directory.Importer{Store: openStore(t)}).Sync(context.Background(), c, feed.URL, "f")
	if err != nil {
		t.Fatal(err)
	}
	if res.Stored != 100 || res.Pages != 3 {
		t.Errorf("stored %d in %d pages, want 100 in 3", res.Stored, res.Pages)
	}
}

func TestSyncRefusesWhatIsNotAFeed(t *testing.T) {
	st := openStore(t)
	for _, u := range []string{"ftp://example.org", "not a url", ""} {
		if _, err := (&directory.Importer{Store: st}).Sync(context.Background(), client(), u, "f"); err == nil {
			t.Errorf("Sync(%q) succeeded", u)
		}
	}
}

// realFeeds is where the shared reference copies of two councils' feeds are.
var realFeeds = filepath.Join("..", "..", "shared", "reference", "oruk-real")

var (
	tagOrEntity = regexp.MustCompile(`<[a-zA-Z/][^>]*>|&[a-zA-Z]+;|&#[0-9]+;`)
)

func TestImportRealFeeds(t *testing.T) {
	tests := []struct {
		file            string
		read, duplicate int
	}{
		{"bristol-v1-services.json", 819, 1},
		{"north-lincolnshire-v1-services.json", 738, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(realFeeds, tt.file)
			st := openStore(t)
			res, err := (&directory.Importer{Store: st}).ImportFile(context.Background(), path, directory.FeedName(path))
			if err != nil {
				t.Fatal(err)
			}
			counts := map[string]int{}
			for _, c := range res.SkipCounts() {
				counts[c.Reason] = c.N
			}
			if res.Read != tt.read || res.Stored+len(res.Skipped) != tt.read || counts[directory.ReasonDuplicate] != tt.duplicate || res.Version != "1" {
				t.Errorf("read %d, stored %d, skipped %v (version %s); want %d read, all accounted for, %d duplicate ids",
					res.Read, res.Stored, counts, res.Version, tt.read, tt.duplicate)
			}
			got := services(t, st, directory.FeedName(path))
			if len(got) != res.Stored {
				t.Errorf("%d services in the store, result says %d", len(got), res.Stored)
			}
			for _, s := range got {
				for _, field := range []string{s.Name, s.Summary, s.Description, s.Organization, s.Fees} {
					if tagOrEntity.MatchString(field) || !templates.IsGSM7(field) {
						t.Fatalf("service %s keeps markup or non-GSM-7 text: %q", s.ID, field)
					}
				}
				if s.Name == "" {
					t.Fatalf("service %s has no name", s.ID)
				}
			}
		})
	}
}

func TestSyncRealFeedServedAsV1(t *testing.T) {
	body, err := os.ReadFile(filepath.Join(realFeeds, "north-lincolnshire-v1-services.json"))
	if err != nil {
		t.Fatal(err)
	}
	var records []json.RawMessage
	if err := json.Unmarshal(body, &records); err != nil {
		t.Fatal(err)
	}
	feed := oruktest.NewRaw("1", records)
	defer feed.Close()
	c := client()
	c.PerPage = 100
	res, err := (&directory.Importer{Store: openStore(t)}).Sync(context.Background(), c, feed.URL+"/services/", "northlincs")
	if err != nil {
		t.Fatal(err)
	}
	if res.Read != 738 || res.Pages != 8 || res.Stored+len(res.Skipped) != 738 {
		t.Errorf("read %d in %d pages, stored %d, skipped %d; want 738 in 8 pages, all accounted for", res.Read, res.Pages, res.Stored, len(res.Skipped))
	}
}
