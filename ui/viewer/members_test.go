package viewer

import (
	"slices"
	"testing"
)

func TestSplitQuoted(t *testing.T) {
	for in, want := range map[string][]string{
		`a b`:                 {"a", "b"},
		`  a   "b c"  `:       {"a", "b c"},
		`'it''s' "q\"x"`:      {"its", `q"x`},
		`f ""`:                {"f", ""},
		`name "a\\b" 'c d' x`: {"name", `a\b`, "c d", "x"},
		`f "x\ny\x00"`:        {"f", "x\ny\x00"},
	} {
		got, err := entryFields(in)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("entryFields(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{`"open`, `'open`, `x "a\`} {
		if _, err := entryFields(bad + " x"); err == nil {
			t.Errorf("splitQuoted(%q) accepted an unclosed quote", bad)
		}
	}
}
