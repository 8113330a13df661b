package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDeleteAsksThenDeletes(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 5)
	a, _ := testApp(t, f, nil, 80, 20)
	start(t, a)
	press(t, a, "j", "d")
	if a.browser.Confirm == nil || !strings.Contains(a.Render(), "Delete k1?  (y/n)") {
		t.Fatalf("no confirmation:\n%s", a.Render())
	}
	press(t, a, "n")
	if len(f.CallsOf("DEL")) != 0 || a.browser.Keys.Len() != 5 {
		t.Fatal("cancelled delete still deleted")
	}
	press(t, a, "d", "y")
	if got := f.CallsOf("DEL"); !slices.Equal(got, []string{"DEL k1"}) {
		t.Fatalf("DEL calls %v", got)
	}
	if slices.Contains(keysOf(a.browser), "k1") || a.browser.Keys.Len() != 4 {
		t.Fatalf("k1 still listed: %v", keysOf(a.browser))
	}
	if !strings.Contains(a.Render(), "deleted k1") {
		t.Fatalf("no flash:\n%s", a.Render())
	}
}

func TestFailedWriteLeavesListAsItWas(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 3)
	a, _ := testApp(t, f, nil, 100, 20)
	start(t, a)
	f.Mu.Lock()
	f.Err = errors.New("NOPERM no permissions to run the 'del' command")
	f.Mu.Unlock()
	press(t, a, "d", "y")
	if a.browser.Keys.Len() != 3 {
		t.Fatal("a failed DEL removed the key from the list")
	}
	if v := a.Render(); !strings.Contains(v, "delete failed for k0: NOPERM") {
		t.Fatalf("error not flashed:\n%s", v)
	}
}

func TestReadOnlyRefusesWrites(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 3)
	sess := uitest.NewFakeSession(common.SessionState{Profile: "prod", ReadOnly: true})
	a, _ := testApp(t, f, sess, 120, 20)
	start(t, a)
	for _, k := range []string{"d", "x", "X", "R"} {
		press(t, a, k)
		if a.browser.Confirm != nil || a.browser.Input != nil {
			t.Fatalf("%s opened a prompt in a read-only profile", k)
		}
		if v := a.Render(); !strings.Contains(v, "refused: this profile is read-only") {
			t.Fatalf("%s: no refusal message:\n%s", k, v)
		}
	}
	for _, c := range []string{"DEL", "EXPIRE", "PERSIST", "RENAME"} {
		if n := len(f.CallsOf(c)); n != 0 {
			t.Fatalf("%s sent %d times in read-only mode", c, n)
		}
	}
	// Copying the name is not a write: allowed.
	press(t, a, "c")
	if !strings.Contains(a.Render(), "copied key name") {
		t.Fatal("copy refused in read-only mode")
	}
}

func TestSetTTLPersistRename(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 3)
	a, _ := testApp(t, f, nil, 100, 20)
	start(t, a)
	press(t, a, "x")
	typeText(t, a, "soon")
	press(t, a, "enter")
	if len(f.CallsOf("EXPIRE")) != 0 || !strings.Contains(a.Render(), "TTL must be at least 1s") {
		t.Fatalf("bad TTL accepted:\n%s", a.Render())
	}
	press(t, a, "x")
	typeText(t, a, "15m")
	press(t, a, "enter")
	if got := f.CallsOf("EXPIRE"); !slices.Equal(got, []string{"EXPIRE k0 15m0s"}) {
		t.Fatalf("EXPIRE calls %v", got)
	}
	if m := a.browser.Meta["k0"]; m.TTL != 15*time.Minute {
		t.Fatalf("TTL column not refreshed: %+v", m)
	}
	press(t, a, "X")
	if m := a.browser.Meta["k0"]; m.TTL != -1 {
		t.Fatalf("persist not reflected: %+v", m)
	}
	press(t, a, "R")
	for range 2 {
		press(t, a, "backspace")
	}
	typeText(t, a, "renamed")
	press(t, a, "enter")
	if got := f.CallsOf("RENAME"); !slices.Equal(got, []string{"RENAME k0 renamed"}) {
		t.Fatalf("RENAME calls %v", got)
	}
	ks := keysOf(a.browser)
	if slices.Contains(ks, "k0") || !slices.Contains(ks, "renamed") {
		t.Fatalf("list after rename: %v", ks)
	}
}

func TestDeleteUnderFilter(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 30)
	a, _ := testApp(t, f, nil, 100, 20)
	start(t, a)
	press(t, a, "/")
	typeText(t, a, "k2")
	press(t, a, "enter", "G") // k2, k20…k29: the last match is the last key
	if k, _ := a.browser.Selected(); k != "k29" {
		t.Fatalf("selected %q", k)
	}
	press(t, a, "d", "y")
	if got := keysOf(a.browser); len(got) != 10 || slices.Contains(got, "k29") {
		t.Fatalf("matches after delete: %v", got)
	}
	_ = a.Render() // must not index past the end
	press(t, a, "g", "R")
	for range 2 {
		press(t, a, "backspace")
	}
	typeText(t, a, "zk2x")
	press(t, a, "enter")
	got := keysOf(a.browser)
	if slices.Contains(got, "k2") || !slices.Contains(got, "zk2x") || len(got) != 10 {
		t.Fatalf("matches after rename: %v", got)
	}
}
