package browser

import (
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
)

// FilterState is the client-side filter (`/`) over keys already loaded. It never talks to
// Redis; the server-side SCAN MATCH pattern is separate (scanner.match).
//
// Matching a million keys takes tens of milliseconds, so it runs in a Cmd over an immutable
// snapshot of the key set; keys that arrive later are matched in Update page by page.
type FilterState struct {
	Query   string
	Gen     uint64
	idx     []int32 // positions in the key set that match, in load order
	upto    int     // keys [0, upto) have been matched
	Pending bool    // a filter Cmd for query is running
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

// filterCmd matches a snapshot in the background.
func filterCmd(gen uint64, snap keySnapshot, query string) tea.Cmd {
	return func() tea.Msg {
		match := matcher(query)
		var out []int32
		for i := range snap.Refs {
			if match(snap.At(i)) {
				out = append(out, int32(i))
			}
		}
		return FilterMsg{gen: gen, upto: len(snap.Refs), matches: out}
	}
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
	out := f.idx[:0]
	for _, p := range f.idx {
		switch {
		case int(p) == pos:
		case int(p) > pos:
			out = append(out, p-1)
		default:
			out = append(out, p)
		}
	}
	f.idx = out
	if f.upto > pos {
		f.upto--
	}
}
