package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/linkline/linkline/directory/oruktest"
)

func TestDirectoryCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "linkline.db")
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
