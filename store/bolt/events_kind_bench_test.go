package bolt

import (
	"path/filepath"
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/storetest"
)

// BenchmarkEventsOfKind: today's resolved handoffs from logs of 10,000
// and 100,000 older events (docs/benchmarks.md).
//
//	go test -run '^$' -bench BenchmarkEventsOfKind -benchtime 200x ./store/bolt/
func BenchmarkEventsOfKind(b *testing.B) {
	storetest.BenchEventsOfKind(b, []int{10_000, 100_000}, func(b *testing.B) bot.Store {
		return openTest(b, filepath.Join(b.TempDir(), "linkline.db"))
	})
}
