package browser

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// randomKey draws a key from an alphabet that exercises every path of chunkSearch: ASCII
// upper and lower case, delimiters, digits, UTF-8 (including the Kelvin sign, which lowers
// to ASCII "k", and "İ"), invalid UTF-8 and, rarely, the empty key or one longer than a chunk.
func randomKey(r *rand.Rand, plain bool) string {
	switch n := r.IntN(20_000); {
	case n < 10:
		return ""
	case n == 10:
		return strings.Repeat("ab:C", keyChunkSize/4+r.IntN(100))
	}
	parts := []string{"a", "b", "k", "K", "ab", "Ab", ":", "1", "2", "12", "user", "USER", "é", "É", "\u212a", "İ", "\xff", "\xc3", "!", " "}
	if plain {
		parts = []string{"a", "b", "k", "ab", ":", "1", "2", "12", "user"}
	}
	var b strings.Builder
	for range 1 + r.IntN(8) {
		b.WriteString(parts[r.IntN(len(parts))])
	}
	return b.String()
}

// chunkSearch gives exactly what the matcher gives, key by key, over random keys in chunks
// that are all ASCII lower case, hold upper case, or hold non-ASCII bytes, after removals
// (which leave bytes no key owns), for queries taken from keys, across two adjacent keys,
// inverted, and upper-cased.
func TestChunkSearchMatchesMatcher(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 1))
	s := newKeySet()
	var added []string
	for i := range 100_000 {
		// Runs of plain keys give chunks without upper case or non-ASCII bytes.
		k := randomKey(r, (i/40_000)%2 == 0)
		if s.Add(k) {
			added = append(added, k)
		}
	}
	for range 3000 {
		s.remove(added[r.IntN(len(added))])
	}
	snap := s.Snapshot()
	kinds := map[chunkFlags]bool{}
	for _, f := range snap.flags {
		kinds[f] = true
	}
	if !kinds[0] || !kinds[chunkUpper|chunkNonASCII] {
		t.Fatalf("chunk kinds %v: want plain chunks and mixed ones", kinds)
	}
	queries := []string{"a", "ab", "AB", "Ab", "k", "K", "1", "12", ":", "!", "!!", "!a", "!!a", "!Ab", "é", "É", "\u212a",
		"\xff", "\ufffd", "i", "user:", "ser1", "b:C", "C", " "}
	for range 20 {
		a := snap.At(r.IntN(len(snap.Refs)))
		if a != "" {
			i := r.IntN(len(a))
			queries = append(queries, a[i:i+1+r.IntN(len(a)-i)])
		}
		// The end of one key and the start of the next: a hit across their boundary.
		p := r.IntN(len(snap.Refs) - 1)
		x, y := snap.At(p), snap.At(p+1)
		if x != "" && y != "" {
			queries = append(queries, x[len(x)-1-r.IntN(len(x)):]+y[:1+r.IntN(len(y))])
		}
	}
	for i, q := range queries {
		if i%3 == 0 {
			q = "!" + q
		}
		if strings.Trim(q, "!") == "" && len(q) > 1 {
			continue
		}
		want := fullPass(snap, q)
		for _, lo := range []int{0, len(snap.Refs) / 3} {
			got := newChunkSearch(q).matchRange(snap, lo, len(snap.Refs), nil)
			w := want[:0:0]
			for _, p := range want {
				if int(p) >= lo {
					w = append(w, p)
				}
			}
			if !slices.Equal(got, w) {
				t.Fatalf("query %q from %d: %d matches, the matcher gives %d (first differences: %v)", q, lo, len(got), len(w), firstDiff(got, w))
			}
		}
	}
}

func firstDiff(a, b []int32) []int32 {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return []int32{int32(i), a[i], b[i]}
		}
	}
	return []int32{int32(min(len(a), len(b)))}
}

func TestSeekEnd(t *testing.T) {
	// Keys at [0,3) [3,3) (empty) [3,5) [7,9) (bytes 5–6 removed).
	refs := []keyRef{{off: 0, n: 3}, {off: 3, n: 0}, {off: 3, n: 2}, {off: 7, n: 2}}
	for _, tc := range []struct {
		k    int
		p    uint32
		want int
	}{{0, 0, 0}, {0, 2, 0}, {0, 3, 2}, {0, 4, 2}, {0, 5, 3}, {0, 8, 3}, {0, 9, 4}, {3, 2, 3}, {2, 20, 4}} {
		if got := seekEnd(refs, tc.k, tc.p); got != tc.want {
			t.Errorf("seekEnd(k=%d, p=%d) = %d, want %d", tc.k, tc.p, got, tc.want)
		}
	}
}
