package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"strings"
	"testing"
)

// progressStore reports a cluster scan's progress from the cursor, as the cluster store does:
// here every cursor past the start means shard 1 of 3 is done.
type progressStore struct {
	*uitest.FakeStore
	asked []string
}

func (p *progressStore) ScanProgress(cursor string) ([]common.ShardProgress, bool) {
	p.asked = append(p.asked, cursor)
	return []common.ShardProgress{{FirstSlot: 0, Done: true}, {FirstSlot: 5461}, {FirstSlot: 10923}}, true
}

func TestStatusShowsShardProgressOfAClusterScan(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 1000)
	ps := &progressStore{FakeStore: f}
	a, _ := testApp(t, ps, nil, 120, 20, func(o *Options) { o.ScanCount = 100; o.LoadBatch = 250 })
	start(t, a)
	if got := a.Render(); !strings.Contains(got, "shards 1/3 done") {
		t.Fatalf("a paused cluster scan does not show shard progress:\n%s", got)
	}
	if len(ps.asked) == 0 || ps.asked[len(ps.asked)-1] != a.browser.Scan.Cursor {
		t.Fatalf("progress read for cursors %q, want the scan's cursor %q", ps.asked, a.browser.Scan.Cursor)
	}
	press(t, a, "M") // load all: the scan completes and the shard count goes
	if got := a.Render(); strings.Contains(got, "shards") || !strings.Contains(got, "complete") {
		t.Fatalf("a complete scan still shows shard progress:\n%s", got)
	}
}
