package viewer

import (
	"slices"
	"testing"
)

func TestSplitQuoted(t *testing.T) {
	for in, want := range map[string][]string{
		`a b`:               {"a", "b"},
		`  a   "b c"  `:     {"a", "b c"},
		`'it''s' "q\"x"`:    {"its", `q"x`},
		`f ""`:              {"f", ""},
		`name "a\\b" 'c d'`: {"name", `a\b`, "c d"},
	} {
		got, ok := splitQuoted(in)
		if !ok || !slices.Equal(got, want) {
			t.Errorf("splitQuoted(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{`"open`, `'open`, `x "a\`} {
		if _, ok := splitQuoted(bad); ok {
			t.Errorf("splitQuoted(%q) accepted an unclosed quote", bad)
		}
	}
}
