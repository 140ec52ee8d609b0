package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/linkline/linkline/directory/oruktest"
)

func TestDirectoryCommands(t *testing.T) {
	db := existingDB(t, filepath.Join(t.TempDir(), "linkline.db"))
	real := filepath.Join("..", "..", "..", "shared", "reference", "oruk-real", "bristol-v1-services.json")
	code, out, errOut := runCmd(t, "", "directory", "import", real, "--db", db)
	if code != 0 || !strings.Contains(out, "feed bristol-v1-services (ORUK v1): 819 services read") ||
		!strings.Contains(out, "skipped 1: id listed twice") || !strings.Contains(errOut, "page 5/5") {
		t.Fatalf("directory import = %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}

	feed := oruktest.New("3", oruktest.Services(30), oruktest.Options{Broken: true})
	defer feed.Close()
	code, out, errOut = runCmd(t, "", "directory", "sync", feed.URL, "--feed", "fixtures", "--per-page", "25", "--db", db)
	if code != 0 || !strings.Contains(out, "feed fixtures (ORUK v3): 63 services read in 3 pages, 60 kept, 3 skipped, 0 removed") ||
		!strings.Contains(errOut, "page 3/3") {
		t.Fatalf("directory sync = %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	feed.SetServices(oruktest.Services(20), oruktest.Options{})
	code, out, _ = runCmd(t, "", "directory", "sync", feed.URL, "--feed", "fixtures", "--db", db)
	if code != 0 || !strings.Contains(out, "40 kept, 0 skipped, 20 removed") {
		t.Fatalf("second directory sync = %d\nstdout: %s", code, out)
	}

	code, out, _ = runCmd(t, "", "postcodes", "import", filepath.Join("..", "..", "directory", "testdata", "onspd-sample.csv"), "--db", db)
	if code != 0 || !strings.Contains(out, "14 rows read: 12 postcodes stored, 4 outward codes, 1 without a location, 1 Northern Ireland (BT) left out") {
		t.Fatalf("postcodes import = %d\nstdout: %s", code, out)
	}
	if code, _, _ := runCmd(t, "", "directory", "fetch"); code != 2 {
		t.Errorf("directory fetch exited %d, want 2 (usage)", code)
	}
}

// A self-referral in linkline chat from a fixture postcode ends with three
// services near it for the need chosen.
func TestChatSelfReferralEndsWithLocalServices(t *testing.T) {
	db := existingDB(t, filepath.Join(t.TempDir(), "linkline.db"))
	feed := oruktest.New("1", oruktest.Services(150), oruktest.Options{ListOnly: true})
	defer feed.Close()
	if code, out, errs := runCmd(t, "", "directory", "sync", feed.URL, "--db", db); code != 0 {
		t.Fatalf("sync: %d\n%s\n%s", code, out, errs)
	}
	if code, out, errs := runCmd(t, "", "postcodes", "import", filepath.Join("..", "..", "directory", "testdata", "onspd-sample.csv"), "--db", db); code != 0 {
		t.Fatalf("postcodes: %d\n%s\n%s", code, out, errs)
	}
	// Money, debt or benefits (3), from Stroud.
	in := strings.Join([]string{"hi", "yes", "Sam", "12/03/1958", "GL5 1AA", "Stroud Surgery", "no", "my bills", "3", "1", "1", "1"}, "\n") + "\n"
	code, out, errs := runCmd(t, in, "chat", "--db", db)
	if code != 0 {
		t.Fatalf("chat: %d\n%s\n%s", code, out, errs)
	}
	_, after, ok := strings.Cut(out, "things near you")
	if !ok {
		t.Fatalf("no services offered:\n%s", out)
	}
	n := strings.Count(after, "Stroud Debt Advice") + strings.Count(after, "Stroud Benefits Help")
	if n != 3 || !strings.Contains(after, "away") || !strings.Contains(after, "4 short questions") {
		t.Errorf("after the referral:\n%s\nwant three Stroud money services with distances, then the baseline offer", after)
	}
}
