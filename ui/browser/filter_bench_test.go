package browser

import (
	"strconv"
	"sync"
	"testing"

	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// BenchmarkFilter1M is the background filter pass over a million loaded keys (runs in a Cmd,
// not in Update).
func BenchmarkFilter1M(b *testing.B) {
	s := newKeySet()
	for i := range 1_000_000 {
		s.Add(uitest.BenchKey(i))
	}
	snap := s.Snapshot()
	b.ReportAllocs()
	for b.Loop() {
		_ = filterCmd(1, snap, "9:session", nil, nil)()
	}
}

// scaleQueries are the queries bench/scale.sh types.
var scaleQueries = []string{"12345", "99", "user:1", "session:ab", "cache:svc4", "key:42"}

var (
	scaleSetsOnce sync.Once
	scaleMixed1M  *keySet
	scaleKeyN5M   *keySet
)

// scaleSets are bench/scale.sh's two keyspaces as loaded key sets: the 1M realistic mix of
// db 0 and the 5M key:N of db 1 (DEBUG POPULATE), in a SCAN-like shuffled order.
func scaleSets(b *testing.B) (mixed1M, keyN5M *keySet) {
	b.Helper()
	scaleSetsOnce.Do(func() {
		scaleMixed1M = newKeySet()
		for _, k := range uitest.MixedKeys(1_000_000) {
			scaleMixed1M.Add(k)
		}
		const n = 5_000_000
		scaleKeyN5M = newKeySet()
		scaleKeyN5M.Reserve(n)
		for i := range n {
			// A fixed permutation of 0..n-1 (n and 2654435761 are coprime), like SCAN's order.
			scaleKeyN5M.Add("key:" + strconv.Itoa(int(uint64(i)*2654435761%n)))
		}
	})
	return scaleMixed1M, scaleKeyN5M
}

// BenchmarkFilterScale is one full filter pass (no narrowing) per query of bench/scale.sh over
// its two keyspaces; "burst" types each query one character at a time as the probe's
// `tmux send-keys -l` does, each key press superseding the last, and ends with the last pass.
func BenchmarkFilterScale(b *testing.B) {
	mixed, keyN := scaleSets(b)
	for _, c := range []struct {
		name string
		set  *keySet
	}{{"mixed1M", mixed}, {"keyN5M", keyN}} {
		snap := c.set.Snapshot()
		for _, q := range scaleQueries {
			b.Run(c.name+"/"+q, func(b *testing.B) {
				for b.Loop() {
					_ = filterCmd(1, snap, q, nil, nil)()
				}
			})
		}
	}
}
