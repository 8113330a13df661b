package browser

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
)

// FilterState is the client-side filter (`/`) over keys already loaded. It never talks to
// Redis; the server-side SCAN MATCH pattern is separate (scanner.match).
//
// Matching millions of keys takes milliseconds to tens of milliseconds, so it runs in a Cmd
// over an immutable snapshot of the key set, on every core, searching whole chunks of key
// bytes at once (chunkSearch); keys that arrive later are matched in Update page by page. A
// query that only narrows a finished result (typing on) tries its few matches only, and a run
// superseded by a newer query stops at the next chunk: typed in one burst, only the last
// query's pass runs to the end.
type FilterState struct {
	Query   string
	Gen     uint64
	idx     []int32 // positions in the key set that match, in load order
	upto    int     // keys [0, upto) have been matched
	Pending bool    // a filter Cmd for query is running
	stop    *atomic.Bool
}

// FilterMsg is the result of matching a snapshot.
type FilterMsg struct {
	gen     uint64
	upto    int
	matches []int32
}

func (f *FilterState) active() bool { return f.Query != "" }

// matcher returns a predicate for query: substring, case-insensitive unless the query has an
// upper-case letter (smart case); a leading "!" inverts it (k9s-style).
func matcher(query string) func(string) bool {
	if rest, ok := strings.CutPrefix(query, "!"); ok && rest != "" {
		m := matcher(rest)
		return func(k string) bool { return !m(k) }
	}
	if query != strings.ToLower(query) {
		return func(k string) bool { return strings.Contains(k, query) }
	}
	return func(k string) bool { return containsFold(k, query) }
}

// containsFold is an allocation-free ASCII case-insensitive strings.Contains for a lower-case
// needle; non-ASCII haystacks fall back to lower-casing.
func containsFold(s, lower string) bool {
	n := len(lower)
	if n == 0 {
		return true
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.Contains(strings.ToLower(s), lower)
		}
	}
	for i := 0; i+n <= len(s); i++ {
		j := 0
		for ; j < n; j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != lower[j] {
				break
			}
		}
		if j == n {
			return true
		}
	}
	return false
}

// filterBase is a finished result a narrower query starts from: the matches among keys
// [0, upto).
type filterBase struct {
	idx  []int32
	upto int
}

// filterCmd matches a snapshot in the background: only base's matches (then the keys loaded
// after them) when base is given, every key otherwise. Every key is searched chunk by chunk
// (chunkSearch); trying base's matches key by key pays only while they are few, so a large
// base is ignored. It gives up, returning a result nobody reads, once stop is set.
func filterCmd(gen uint64, snap keySnapshot, query string, base *filterBase, stop *atomic.Bool) tea.Cmd {
	return func() tea.Msg {
		cs := newChunkSearch(query)
		n := len(snap.Refs)
		if base == nil || len(base.idx) > base.upto/narrowShare {
			return FilterMsg{gen: gen, upto: n, matches: cs.matchRange(snap, 0, n, stop)}
		}
		match := matcher(query)
		out := parallelMatch(len(base.idx), func(i int) (int32, bool) {
			p := base.idx[i]
			return p, match(snap.At(int(p)))
		}, stop)
		rest := cs.matchRange(snap, base.upto, n, stop)
		if stop != nil && stop.Load() {
			return FilterMsg{gen: gen, upto: n}
		}
		return FilterMsg{gen: gen, upto: n, matches: append(out, rest...)}
	}
}

// narrowShare: a narrowing query tries the previous matches one by one only while they are at
// most 1/narrowShare of the keys; beyond that, searching every chunk again is faster (a key
// tried alone costs several times its share of a chunk search).
const narrowShare = 8

// filterChunk is the fewest keys worth a goroutine of their own, and how often a run checks
// whether it was superseded.
const filterChunk = 32 << 10

// parallelMatch runs try over [0, n) in up to GOMAXPROCS goroutines and returns the positions
// it accepted, in order; nil once stop is set.
func parallelMatch(n int, try func(i int) (int32, bool), stop *atomic.Bool) []int32 {
	if n <= 0 {
		return nil
	}
	parts := min(runtime.GOMAXPROCS(0), max(1, n/filterChunk))
	results := make([][]int32, parts)
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := n*p/parts, n*(p+1)/parts
		wg.Go(func() {
			var out []int32
			for i := lo; i < hi; i++ {
				if (i-lo)%filterChunk == 0 && stop != nil && stop.Load() {
					return
				}
				if pos, ok := try(i); ok {
					out = append(out, pos)
				}
			}
			results[p] = out
		})
	}
	wg.Wait()
	return joinParts(results, stop)
}

// joinParts joins the positions the goroutines of a parallel pass found, in order; nil once
// stop is set (the pass was superseded and its parts may be incomplete).
func joinParts(parts [][]int32, stop *atomic.Bool) []int32 {
	if stop != nil && stop.Load() {
		return nil
	}
	total := 0
	for _, r := range parts {
		total += len(r)
	}
	out := make([]int32, 0, total)
	for _, r := range parts {
		out = append(out, r...)
	}
	return out
}

// narrows reports whether every key matching query also matches prev, so that only prev's
// matches need trying: query contains prev as it is written (a longer substring, or one with an
// upper-case letter, which turns smart case to exact and only makes matching stricter), and
// neither is inverted with "!".
func narrows(prev, query string) bool {
	return prev != "" && !strings.HasPrefix(prev, "!") && !strings.HasPrefix(query, "!") &&
		strings.Contains(query, prev)
}

// CatchUp matches keys loaded since the last result, in Update (a page at a time is cheap).
func (f *FilterState) CatchUp(keys *keySet) {
	if !f.active() || f.Pending {
		return
	}
	match := matcher(f.Query)
	for i := f.upto; i < keys.Len(); i++ {
		if match(keys.At(i)) {
			f.idx = append(f.idx, int32(i))
		}
	}
	f.upto = keys.Len()
}

// removed adjusts the matches after the key at position pos left the key set.
func (f *FilterState) removed(pos int) {
	if pos < 0 {
		return
	}
	f.idx = dropPosition(f.idx, pos)
	if f.upto > pos {
		f.upto--
	}
}
