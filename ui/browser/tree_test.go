package browser

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/keyspace"
)

// The parallel index build counts what adding every key in turn counts, and a leaves pass
// (its first part, then the rest) finds exactly the keys whose parent is the folder, over
// random keys with removals (bytes no key owns) in more keys than the first part covers.
func TestTreePassesMatchBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 2))
	s := newKeySet()
	var added []string
	for s.Len() < leavesFirst+12_000 {
		k := randomKey(r, r.IntN(2) == 0)
		if s.Add(k) {
			added = append(added, k)
		}
	}
	for range 2000 {
		s.remove(added[r.IntN(len(added))])
	}
	snap := s.Snapshot()
	for _, delims := range [][]string{nil, {":", "b"}} {
		index, want := keyspace.NewPrefixIndex(delims), keyspace.NewPrefixIndex(delims)
		if n := buildIndex(snap, index); n != len(snap.Refs) {
			t.Fatalf("buildIndex added %d of %d", n, len(snap.Refs))
		}
		prefixes := map[string]bool{"": true, "user:": true}
		for i := range snap.Refs {
			want.Add(snap.At(i))
		}
		for len(prefixes) < 8 {
			prefixes[want.Parent(snap.At(r.IntN(len(snap.Refs))))] = true
		}
		wk, wf := want.Len()
		if k, f := index.Len(); k != wk || f != wf {
			t.Fatalf("delims %q: index of %d keys, %d folders; want %d, %d", delims, k, f, wk, wf)
		}
		for p := range prefixes {
			got, _ := index.Folder(p)
			w, _ := want.Folder(p)
			if got != w {
				t.Fatalf("delims %q: folder %q = %+v, want %+v", delims, p, got, w)
			}
			var leaves []int32
			parts := 0
			for m := leavesCmd(1, snap, 0, p, index)().(TreeMsg); ; m = m.more().(TreeMsg) {
				leaves, parts = append(leaves, m.leaves...), parts+1
				if m.more == nil {
					break
				}
			}
			var brute []int32
			for i := range snap.Refs {
				if k := snap.At(i); strings.HasPrefix(k, p) && want.Parent(k) == p {
					brute = append(brute, int32(i))
				}
			}
			if !slices.Equal(leaves, brute) || int64(len(brute)) != w.Direct || parts != 2 {
				t.Fatalf("delims %q: folder %q: %d leaves in %d parts, want %d (index says %d)", delims, p, len(leaves), parts, len(brute), w.Direct)
			}
		}
	}
}
