package browser

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
)

// fullPass is the reference: every key tried in order, on one goroutine.
func fullPass(snap keySnapshot, query string) []int32 {
	match := matcher(query)
	var out []int32
	for i := range snap.Refs {
		if match(snap.At(i)) {
			out = append(out, int32(i))
		}
	}
	return out
}

// The parallel pass and the narrowed pass give exactly the single-threaded result, in order,
// for queries that grow one character at a time (as typed) and for keys loaded in between.
func TestFilterParallelAndNarrowedMatchFullPass(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	s := newKeySet()
	add := func(n int) {
		for range n {
			s.Add(fmt.Sprintf("%s:%d:%s", []string{"user", "User", "session", "cache"}[r.IntN(4)], r.IntN(100000),
				[]string{"profile", "Tags", "x"}[r.IntN(3)]))
		}
	}
	add(150_000) // several chunks per core
	for _, typed := range []string{"user:12", "User:4", "session:9", "cache:1:x", "!user", "tags", "Tags"} {
		var prev *filterBase
		prevQ := ""
		for n := 1; n <= len(typed); n++ {
			q := typed[:n]
			snap := s.Snapshot()
			var base *filterBase
			if prev != nil && narrows(prevQ, q) {
				base = prev
			}
			got := filterCmd(1, snap, q, base, nil)().(FilterMsg)
			if want := fullPass(snap, q); !slices.Equal(got.matches, want) {
				t.Fatalf("%q (narrowed from %q: %v): %d matches, want %d", q, prevQ, base != nil, len(got.matches), len(want))
			}
			if got.upto != len(snap.Refs) {
				t.Fatalf("%q: upto %d of %d", q, got.upto, len(snap.Refs))
			}
			prev, prevQ = &filterBase{idx: got.matches, upto: got.upto}, q
			add(500) // keys arrive between key presses
		}
	}
}

func TestNarrows(t *testing.T) {
	for _, tc := range []struct {
		prev, q string
		want    bool
	}{
		{"us", "use", true}, {"us", "aus", true}, {"us", "usE", true}, {"Us", "Use", true},
		{"use", "us", false}, {"us", "Us", false}, {"", "a", false}, {"!a", "!ab", false}, {"a", "!a", false},
	} {
		if got := narrows(tc.prev, tc.q); got != tc.want {
			t.Errorf("narrows(%q, %q) = %v", tc.prev, tc.q, got)
		}
	}
}

// A run whose query was superseded stops and returns nothing.
func TestFilterStops(t *testing.T) {
	s := newKeySet()
	for i := range 200_000 {
		s.Add(fmt.Sprint("k", i))
	}
	stop := new(atomic.Bool)
	stop.Store(true)
	if m := filterCmd(1, s.Snapshot(), "k", nil, stop)().(FilterMsg); m.matches != nil {
		t.Fatalf("a stopped run returned %d matches", len(m.matches))
	}
}
