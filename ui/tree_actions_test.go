package ui

import (
	"github.com/amr-tui/amr-tui/ui/browser"
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"slices"
	"strings"
	"testing"
	"time"
)

func treeStore() *uitest.FakeStore {
	f := uitest.NewFakeStore()
	f.Set("app:a", "1")
	f.Set("app:b", []string{"x"})
	f.Set("app:cfg:x", "2")
	f.Ttls["app:a"] = 90 * time.Second
	return f
}

// openApp enters tree mode and opens the app: folder; the cursor is on the cfg folder.
func openApp(t *testing.T, a *App) *browser.TreeLevel {
	t.Helper()
	start(t, a)
	press(t, a, "t", "enter")
	lv := a.browser.Tree.Top()
	if lv.Prefix != "app:" || a.browser.Tree.Rows() != 3 {
		t.Fatalf("level %q with %d rows", lv.Prefix, a.browser.Tree.Rows())
	}
	return lv
}

func TestTreeColumnsAndActions(t *testing.T) {
	f := treeStore()
	a, _ := testApp(t, f, nil, 100, 20)
	openApp(t, a)
	// Metadata for the leaf rows on screen, in one pipelined call.
	if _, ok := a.browser.Meta["app:a"]; !ok {
		t.Fatalf("no metadata for a visible leaf; calls %v", f.CallsOf("META"))
	}
	v := stripANSI(a.Render())
	for _, want := range []string{"NAME", "TYPE", "TTL", "MEM", "cfg:  (1 key)", "string", "1m30s", "list"} {
		if !strings.Contains(v, want) {
			t.Fatalf("tree view lacks %q:\n%s", want, v)
		}
	}

	// On a folder, key actions explain themselves.
	press(t, a, "d")
	if a.browser.Confirm != nil || !strings.Contains(a.c.FlashMsg.Text, "folder is a key prefix") {
		t.Fatalf("delete on a folder: %q", a.c.FlashMsg.Text)
	}

	press(t, a, "j") // app:a
	press(t, a, "x")
	typeText(t, a, "1h")
	press(t, a, "enter")
	if f.Ttls["app:a"] != time.Hour || a.browser.Meta["app:a"].TTL != time.Hour {
		t.Fatalf("TTL: %v, column %v", f.Ttls["app:a"], a.browser.Meta["app:a"].TTL)
	}
	press(t, a, "X")
	if got := f.CallsOf("PERSIST"); !slices.Equal(got, []string{"PERSIST app:a"}) {
		t.Fatalf("PERSIST calls %v", got)
	}
	press(t, a, "c")
	if !strings.Contains(a.c.FlashMsg.Text, "copied key name") {
		t.Fatalf("copy: %q", a.c.FlashMsg.Text)
	}

	press(t, a, "R", "backspace")
	typeText(t, a, "z")
	press(t, a, "enter")
	if leaves := a.browser.Tree.LeafKeys(a.browser); f.Vals["app:z"] == nil || !slices.Contains(leaves, "app:z") || slices.Contains(leaves, "app:a") {
		t.Fatalf("rename: leaves %v", leaves)
	}

	press(t, a, "G", "d")
	if a.browser.Confirm == nil || !strings.Contains(a.Render(), "Delete app:z?") {
		t.Fatalf("no confirmation:\n%s", a.Render())
	}
	press(t, a, "y")
	if _, ok := f.Vals["app:z"]; ok || slices.Contains(a.browser.Tree.LeafKeys(a.browser), "app:z") || a.browser.Tree.Rows() != 2 {
		t.Fatalf("delete: rows %d", a.browser.Tree.Rows())
	}

	press(t, a, "enter") // the cursor stayed in range: app:b
	if a.screen != screenValue || a.viewer.Key != "app:b" {
		t.Fatalf("open from the tree: screen %d key %q", a.screen, a.viewer.Key)
	}
}

func TestTreeActionsRefusedReadOnly(t *testing.T) {
	f := treeStore()
	a, _ := testApp(t, f, uitest.NewFakeSession(common.SessionState{Profile: "p", ReadOnly: true}), 100, 20)
	openApp(t, a)
	press(t, a, "j")
	for _, k := range []string{"d", "x", "X", "R", "a"} {
		a.c.FlashMsg = common.Flash{}
		press(t, a, k)
		if a.browser.Confirm != nil || a.browser.Input != nil || !strings.Contains(a.c.FlashMsg.Text, "read-only") {
			t.Fatalf("%s in a read-only tree: flash %q", k, a.c.FlashMsg.Text)
		}
	}
	for _, c := range []string{"DEL", "PEXPIRE", "EXPIRE", "PERSIST", "RENAME", "SET"} {
		if got := f.CallsOf(c); len(got) != 0 {
			t.Fatalf("read-only profile still called %v", got)
		}
	}
}
