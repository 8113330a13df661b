package ui

import (
	"strings"
	"testing"
)

// The go-to prompt refuses what it cannot find with a message and reads nothing more: an index
// out of range, a text that is no stream ID, a hash field that does not exist (named escaped),
// and a set (SSCAN cannot seek). esc closes it without a word about writes.
func TestGotoRefusals(t *testing.T) {
	f := demoStore()
	a, _ := testApp(t, f, nil, 120, 20)
	start(t, a)
	cases := []struct{ key, typed, flash string }{
		{"queue:jobs", "3", "index 3 is out of range (0–2)"},
		{"queue:jobs", "x", "not an index: x"},
		{"events", "12-ab", "not a stream ID: 12-ab (ms or ms-seq)"},
		{"user:1:profile", `no\x01such`, `go to: no field no\x01such`},
	}
	for _, c := range cases {
		drain(t, a, a.runCommand("open "+c.key))
		press(t, a, "ctrl+g")
		if a.viewer.Input == nil {
			t.Fatalf("%s: no go-to prompt", c.key)
		}
		typeText(t, a, c.typed)
		press(t, a, "enter")
		if got := a.c.FlashMsg.Text; got != c.flash {
			t.Errorf("%s %q: flash %q, want %q", c.key, c.typed, got, c.flash)
		}
		if len(a.viewer.Page.Rows) == 0 {
			t.Errorf("%s: the page was lost", c.key)
		}
	}
	drain(t, a, a.runCommand("open tags"))
	press(t, a, "ctrl+g")
	if a.viewer.Input != nil || !strings.Contains(a.c.FlashMsg.Text, "go to works in lists, hashes, sorted sets and streams") {
		t.Fatalf("set: %q", a.c.FlashMsg.Text)
	}
	drain(t, a, a.runCommand("open queue:jobs"))
	press(t, a, "ctrl+g", "esc")
	if a.viewer.Input != nil || strings.Contains(a.c.FlashMsg.Text, "written") {
		t.Fatalf("esc: input %v, flash %q", a.viewer.Input != nil, a.c.FlashMsg.Text)
	}
	// In range, the index is selected on the page read around it.
	press(t, a, "ctrl+g")
	typeText(t, a, "-1")
	press(t, a, "enter")
	if v := a.viewer; v.Page.Rows[v.Sel][0] != "2" {
		t.Fatalf("-1 selected row %v", v.Page.Rows[v.Sel])
	}
}
