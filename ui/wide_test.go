package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// column is the display cell at which sub starts in line, or -1.
func column(line, sub string) int {
	i := strings.Index(line, sub)
	if i < 0 {
		return -1
	}
	return ansi.StringWidth(line[:i])
}

// Wide characters (CJK, emoji, a flag, a ZWJ sequence) never push a column off its place: in
// the key list the TYPE column starts at the same cell on every row, and in a hash's table
// the VALUE column too.
func TestWideCharactersKeepColumns(t *testing.T) {
	names := []string{"plain:key", "用户:资料:一二三四五六七八九十", "🔥hot🔥", "flag:🇩🇪", "family:👩‍👩‍👧", "e\u0301accent", strings.Repeat("長", 80)}
	f := uitest.NewFakeStore()
	h := map[string]string{}
	for _, n := range names {
		f.Set(n, "v")
		h[n] = "value-of-" + n[:1]
	}
	f.Set("zz-hash", h)
	a, _ := testApp(t, f, nil, 100, 20)
	start(t, a)
	view := common.AnsiStrip(a.Render())
	want := -1
	for _, l := range strings.Split(view, "\n") {
		c := column(l, " string ")
		if c < 0 {
			continue
		}
		if want < 0 {
			want = c
		}
		if c != want || ansi.StringWidth(l) > 100 {
			t.Errorf("TYPE at cell %d (want %d), width %d: %q", c, want, ansi.StringWidth(l), l)
		}
	}
	if want < 0 {
		t.Fatalf("no rows:\n%s", view)
	}
	drain(t, a, a.runCommand("open zz-hash"))
	view = common.AnsiStrip(a.Render())
	want = -1
	for _, l := range strings.Split(view, "\n") {
		c := column(l, "value-of-")
		if c < 0 {
			continue
		}
		if want < 0 {
			want = c
		}
		if c != want {
			t.Errorf("VALUE at cell %d (want %d): %q", c, want, l)
		}
	}
	if want < 0 {
		t.Fatalf("no rows:\n%s", view)
	}
}
