package ui

import (
	"strings"
	"testing"
)

// progressStore reports a cluster scan's progress from the cursor, as the cluster store does:
// here every cursor past the start means shard 1 of 3 is done.
type progressStore struct {
	*fakeStore
	asked []string
}

func (p *progressStore) ScanProgress(cursor string) ([]ShardProgress, bool) {
	p.asked = append(p.asked, cursor)
	return []ShardProgress{{FirstSlot: 0, Done: true}, {FirstSlot: 5461}, {FirstSlot: 10923}}, true
}

func TestStatusShowsShardProgressOfAClusterScan(t *testing.T) {
	f := newFakeStore()
	f.addStrings("k", 1000)
	ps := &progressStore{fakeStore: f}
	a, _ := testApp(t, ps, nil, 120, 20, func(o *Options) { o.ScanCount = 100; o.LoadBatch = 250 })
	start(t, a)
	if got := a.Render(); !strings.Contains(got, "shards 1/3 done") {
		t.Fatalf("a paused cluster scan does not show shard progress:\n%s", got)
	}
	if len(ps.asked) == 0 || ps.asked[len(ps.asked)-1] != a.browser.scan.cursor {
		t.Fatalf("progress read for cursors %q, want the scan's cursor %q", ps.asked, a.browser.scan.cursor)
	}
	press(t, a, "M") // load all: the scan completes and the shard count goes
	if got := a.Render(); strings.Contains(got, "shards") || !strings.Contains(got, "complete") {
		t.Fatalf("a complete scan still shows shard progress:\n%s", got)
	}
}
