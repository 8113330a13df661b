package browser

import (
	"strconv"
	"testing"
	"time"
)

// While every key loads, the status line's count changes at most every countEvery, so frames
// between two changes are equal and the renderer skips them; paging, a finished, paused or
// failed scan, and a count that went down (a rescan) show the exact count at once.
func TestLoadedCountChangesAtMostEveryCountEvery(t *testing.T) {
	b := &Model{Keys: newKeySet(), Scan: Scanner{InFlight: true}} // Target 0: every key
	t0 := time.Unix(1_000_000, 0)
	add := func(n int, at time.Time) {
		base := b.Keys.Len()
		keys := make([]string, n)
		for i := range keys {
			keys[i] = "k:" + strconv.Itoa(base+i)
		}
		b.Keys.AddAll(keys)
		b.counted.page(at, b.Keys.Len())
	}
	add(1000, t0)
	if got := b.loadedShown(); got != 1000 {
		t.Fatalf("first page: shows %d, want 1000", got)
	}
	add(1000, t0.Add(40*time.Millisecond))
	add(1000, t0.Add(80*time.Millisecond))
	if got := b.loadedShown(); got != 1000 {
		t.Errorf("80 ms into a load of every key: shows %d, want the 1,000 of the first page", got)
	}
	add(1000, t0.Add(countEvery))
	if got := b.loadedShown(); got != 4000 {
		t.Errorf("countEvery later: shows %d, want 4000", got)
	}
	add(500, t0.Add(countEvery+time.Millisecond))
	b.Scan.Done = true
	if got := b.loadedShown(); got != 4500 {
		t.Errorf("complete: shows %d, want the exact 4500", got)
	}
	b.Scan.Done, b.Scan.Target = false, 100_000
	if got := b.loadedShown(); got != 4500 {
		t.Errorf("paging: shows %d, want the exact 4500", got)
	}
	b.Scan.Target = 0
	b.Keys = newKeySet() // a rescan starts from nothing
	add(10, t0.Add(countEvery+2*time.Millisecond))
	if got := b.loadedShown(); got != 10 {
		t.Errorf("after a rescan: shows %d, want 10 (never more than loaded)", got)
	}
}
