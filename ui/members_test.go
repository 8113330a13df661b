package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"slices"

	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

func TestEditMembersInPlace(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("h", map[string]string{"a": "1", "b": "2"})
	f.Set("l", []string{"x", "y", "z"})
	f.Set("s", uitest.SetVal{"red", "green"})
	f.Set("z", []uitest.Zmember{{Member: "alice", Score: 1}, {Member: "bob", Score: 2}})
	a, _ := testApp(t, f, nil, 100, 20)
	start(t, a)

	drain(t, a, a.runCommand("open h"))
	press(t, a, "j", "e") // b
	for range 1 {
		press(t, a, "backspace")
	}
	typeText(t, a, "20")
	press(t, a, "enter")
	if got := f.Get("h").(map[string]string)["b"]; got != "20" {
		t.Fatalf("HSET: b=%q", got)
	}
	if a.viewer.Sel != 1 {
		t.Fatalf("selection lost after the reload: %d", a.viewer.Sel)
	}
	press(t, a, "a")
	typeText(t, a, "c")
	press(t, a, "enter")
	typeText(t, a, "3")
	press(t, a, "enter")
	press(t, a, "g", "d", "y") // delete a
	h := f.Get("h").(map[string]string)
	if _, ok := h["a"]; ok || h["c"] != "3" {
		t.Fatalf("hash after add/delete: %v", h)
	}
	if v := a.Render(); !strings.Contains(v, "HDEL a done") {
		t.Fatalf("no flash:\n%s", v)
	}

	drain(t, a, a.runCommand("open l"))
	press(t, a, "j", "j", "e", "backspace")
	typeText(t, a, "Z")
	press(t, a, "enter")
	if got := f.Get("l").([]string); !slices.Equal(got, []string{"x", "y", "Z"}) {
		t.Fatalf("LSET: %v", got)
	}
	press(t, a, "d")
	if a.viewer.Confirm == nil || !strings.Contains(a.Render(), "remove element 2 (Z)?") {
		t.Fatalf("list element delete asks first:\n%s", a.Render())
	}
	press(t, a, "y")
	if got := f.Get("l").([]string); !slices.Equal(got, []string{"x", "y"}) {
		t.Fatalf("delete by index: %v", got)
	}

	drain(t, a, a.runCommand("open s"))
	press(t, a, "a")
	typeText(t, a, "blue")
	press(t, a, "enter", "g", "d", "n") // cancelled
	if got := f.Get("s").(uitest.SetVal); len(got) != 3 {
		t.Fatalf("SADD or a cancelled SREM: %v", got)
	}
	press(t, a, "d", "y")
	if got := f.Get("s").(uitest.SetVal); len(got) != 2 || slices.Contains(got, "red") {
		t.Fatalf("SREM: %v", got)
	}

	drain(t, a, a.runCommand("open z"))
	press(t, a, "e")
	for range 3 {
		press(t, a, "backspace")
	}
	typeText(t, a, "five")
	press(t, a, "enter")
	if !strings.Contains(a.Render(), "a score is a number") {
		t.Fatal("bad score accepted")
	}
	press(t, a, "esc", "e", "backspace")
	typeText(t, a, "5")
	press(t, a, "enter")
	if got := f.Get("z").([]uitest.Zmember); got[1].Member != "alice" || got[1].Score != 5 {
		t.Fatalf("ZADD: %v", got)
	}
	press(t, a, "a")
	typeText(t, a, "carol")
	press(t, a, "enter", "backspace")
	typeText(t, a, "3")
	press(t, a, "enter")
	if got := f.Get("z").([]uitest.Zmember); len(got) != 3 || got[1].Member != "carol" {
		t.Fatalf("ZADD new: %v", got)
	}
}

func TestMemberEditsRefusedReadOnly(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("h", map[string]string{"a": "1"})
	a, _ := testApp(t, f, uitest.NewFakeSession(common.SessionState{Profile: "p", ReadOnly: true}), 120, 20)
	start(t, a)
	drain(t, a, a.runCommand("open h"))
	for _, k := range []string{"e", "a", "d"} {
		press(t, a, k)
		if a.viewer.Input != nil || a.viewer.Confirm != nil {
			t.Fatalf("%s opened an editor in a read-only profile", k)
		}
		if !strings.Contains(a.Render(), "refused: this profile is read-only") {
			t.Fatalf("%s: no refusal:\n%s", k, a.Render())
		}
	}
	if len(f.CallsOf("HSET"))+len(f.CallsOf("HDEL")) != 0 {
		t.Fatal("a write reached the store")
	}
}

func TestViewerClickSelectsMember(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("l", []string{"x", "y", "z"})
	a, _ := testApp(t, f, nil, 100, 20)
	start(t, a)
	drain(t, a, a.runCommand("open l"))
	// Screen: header (0), title (1), info (2), column titles (3), rows from line 4.
	a.Update(tea.MouseClickMsg{Button: tea.MouseLeft, Y: 6})
	if a.viewer.Sel != 2 {
		t.Fatalf("click selected row %d, want 2", a.viewer.Sel)
	}
}
