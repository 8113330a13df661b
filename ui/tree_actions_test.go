package ui

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func treeStore() *fakeStore {
	f := newFakeStore()
	f.set("app:a", "1")
	f.set("app:b", []string{"x"})
	f.set("app:cfg:x", "2")
	f.ttls["app:a"] = 90 * time.Second
	return f
}

// openApp enters tree mode and opens the app: folder; the cursor is on the cfg folder.
func openApp(t *testing.T, a *App) *treeLevel {
	t.Helper()
	start(t, a)
	press(t, a, "t", "enter")
	lv := a.browser.tree.top()
	if lv.prefix != "app:" || lv.rows() != 3 {
		t.Fatalf("level %q with %d rows", lv.prefix, lv.rows())
	}
	return lv
}

func TestTreeColumnsAndActions(t *testing.T) {
	f := treeStore()
	a, _ := testApp(t, f, nil, 100, 20)
	lv := openApp(t, a)
	// Metadata for the leaf rows on screen, in one pipelined call.
	if _, ok := a.browser.meta["app:a"]; !ok {
		t.Fatalf("no metadata for a visible leaf; calls %v", f.callsOf("META"))
	}
	v := stripANSI(a.Render())
	for _, want := range []string{"NAME", "TYPE", "TTL", "MEM", "cfg:  (1 key)", "string", "1m30s", "list"} {
		if !strings.Contains(v, want) {
			t.Fatalf("tree view lacks %q:\n%s", want, v)
		}
	}

	// On a folder, key actions explain themselves.
	press(t, a, "d")
	if a.browser.confirm != nil || !strings.Contains(a.c.flashMsg.text, "folder is a key prefix") {
		t.Fatalf("delete on a folder: %q", a.c.flashMsg.text)
	}

	press(t, a, "j") // app:a
	press(t, a, "x")
	typeText(t, a, "1h")
	press(t, a, "enter")
	if f.ttls["app:a"] != time.Hour || a.browser.meta["app:a"].TTL != time.Hour {
		t.Fatalf("TTL: %v, column %v", f.ttls["app:a"], a.browser.meta["app:a"].TTL)
	}
	press(t, a, "X")
	if got := f.callsOf("PERSIST"); !slices.Equal(got, []string{"PERSIST app:a"}) {
		t.Fatalf("PERSIST calls %v", got)
	}
	press(t, a, "c")
	if !strings.Contains(a.c.flashMsg.text, "copied key name") {
		t.Fatalf("copy: %q", a.c.flashMsg.text)
	}

	press(t, a, "R", "backspace")
	typeText(t, a, "z")
	press(t, a, "enter")
	if _, ok := f.vals["app:z"]; !ok || !lv.leaves.has("app:z") || lv.leaves.has("app:a") {
		t.Fatalf("rename: leaves %v", lv.leaves.snapshot())
	}

	press(t, a, "G", "d")
	if a.browser.confirm == nil || !strings.Contains(a.Render(), "Delete app:z?") {
		t.Fatalf("no confirmation:\n%s", a.Render())
	}
	press(t, a, "y")
	if _, ok := f.vals["app:z"]; ok || lv.leaves.has("app:z") || lv.rows() != 2 {
		t.Fatalf("delete: rows %d", lv.rows())
	}

	press(t, a, "enter") // the cursor stayed in range: app:b
	if a.screen != screenValue || a.viewer.key != "app:b" {
		t.Fatalf("open from the tree: screen %d key %q", a.screen, a.viewer.key)
	}
}

func TestTreeActionsRefusedReadOnly(t *testing.T) {
	f := treeStore()
	a, _ := testApp(t, f, newFakeSession(SessionState{Profile: "p", ReadOnly: true}), 100, 20)
	openApp(t, a)
	press(t, a, "j")
	for _, k := range []string{"d", "x", "X", "R", "a"} {
		a.c.flashMsg = flash{}
		press(t, a, k)
		if a.browser.confirm != nil || a.browser.input != nil || !strings.Contains(a.c.flashMsg.text, "read-only") {
			t.Fatalf("%s in a read-only tree: flash %q", k, a.c.flashMsg.text)
		}
	}
	for _, c := range []string{"DEL", "PEXPIRE", "EXPIRE", "PERSIST", "RENAME", "SET"} {
		if got := f.callsOf(c); len(got) != 0 {
			t.Fatalf("read-only profile still called %v", got)
		}
	}
}
