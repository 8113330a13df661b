package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// fakeEditor installs an $EDITOR script and runs editors synchronously; before is called just
// before the editor runs (to simulate another writer).
func fakeEditor(t *testing.T, a *App, script string, before func()) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ed.sh")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+script+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", p)
	a.execEditor = func(c *exec.Cmd, fn tea.ExecCallback) tea.Cmd {
		return func() tea.Msg {
			if before != nil {
				before()
			}
			return fn(c.Run())
		}
	}
}

func TestEditStringInEditor(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("greeting", "hello")
	a, _ := testApp(t, f, nil, 100, 20)
	start(t, a)
	fakeEditor(t, a, `printf 'hello, world' > "$1"`, nil)
	drain(t, a, a.runCommand("open greeting"))
	press(t, a, "e")
	if got := f.Get("greeting"); got != "hello, world" {
		t.Fatalf("value %q", got)
	}
	if !slices.Contains(f.CallsOf("SET "), "SET greeting KEEPTTL") {
		t.Fatalf("calls %v", f.CallsOf("SET"))
	}
	if v := a.Render(); !strings.Contains(v, "saved greeting") || !strings.Contains(v, "hello, world") {
		t.Fatalf("viewer not refreshed:\n%s", v)
	}
	tmp, _ := filepath.Glob(filepath.Join(os.TempDir(), "amr-tui-*.txt"))
	for _, p := range tmp {
		if b, _ := os.ReadFile(p); string(b) == "hello, world" {
			t.Fatalf("temporary file left behind: %s", p)
		}
	}
}

func TestEditRefusals(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("s", "same")
	f.Set("bin", "\xff\x00")
	f.Set("raced", "before")
	a, _ := testApp(t, f, nil, 120, 20)
	start(t, a)

	fakeEditor(t, a, `true`, nil) // editor exits without changing anything
	drain(t, a, a.runCommand("open s"))
	press(t, a, "e")
	if !strings.Contains(a.Render(), "no changes") || len(f.CallsOf("SET ")) != 0 {
		t.Fatal("an unchanged value was written")
	}

	// A binary value is edited in its escaped form and read back to the same bytes.
	drain(t, a, a.runCommand("open bin"))
	press(t, a, "e")
	if !strings.Contains(a.Render(), "no changes") || f.Get("bin") != "\xff\x00" {
		t.Fatalf("unchanged binary edit wrote:\n%s", a.Render())
	}
	fakeEditor(t, a, `printf '%s\n' '\xfe\x00' > "$1"`, nil)
	press(t, a, "e")
	if got := f.Get("bin"); got != "\xfe\x00" {
		t.Fatalf("binary edit stored %q", got)
	}
	fakeEditor(t, a, `true`, nil)

	fakeEditor(t, a, `printf 'mine' > "$1"`, func() { f.Set("raced", "theirs") })
	drain(t, a, a.runCommand("open raced"))
	press(t, a, "e")
	if f.Get("raced") != "theirs" || !strings.Contains(a.Render(), "changed on the server") {
		t.Fatalf("a concurrent change was overwritten (value %q):\n%s", f.Get("raced"), a.Render())
	}

	ro, _ := testApp(t, f, uitest.NewFakeSession(common.SessionState{Profile: "p", ReadOnly: true}), 120, 20)
	start(t, ro)
	drain(t, ro, ro.runCommand("open s"))
	press(t, ro, "e")
	if !strings.Contains(ro.Render(), "edit refused: this profile is read-only") {
		t.Fatalf("read-only edit:\n%s", ro.Render())
	}
}

func TestAddKey(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 3)
	a, _ := testApp(t, f, nil, 100, 20)
	start(t, a)
	press(t, a, "a")
	typeText(t, a, "new:key")
	press(t, a, "enter", "enter") // the type prompt offers string
	typeText(t, a, "v1")
	press(t, a, "enter")
	if f.Get("new:key") != "v1" {
		t.Fatal("key not created")
	}
	if k, _ := a.browser.Selected(); k != "new:key" {
		t.Fatalf("new key not selected: %q", k)
	}
	press(t, a, "a")
	typeText(t, a, "k1")
	press(t, a, "enter")
	if f.Get("k1") != "v1" || !strings.Contains(a.Render(), "already exists") {
		t.Fatalf("existing key overwritten or not reported:\n%s", a.Render())
	}
}
