package ui

import (
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// Editing a hash value with line breaks and pressing enter unchanged used to store it
// flattened ("multi line value"). It now opens $EDITOR, and an unchanged edit writes nothing.
func TestMultiLineHashValueGoesToEditor(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("h", map[string]string{"f": "multi\nline\nvalue"})
	a, _ := testApp(t, f, nil, 100, 20)
	start(t, a)
	fakeEditor(t, a, `printf '\n' >> "$1"`, nil) // an editor that saves with a final newline
	drain(t, a, a.runCommand("open h"))
	press(t, a, "e")
	if a.viewer.Input != nil {
		t.Fatal("a multi-line value opened in the one-line editor")
	}
	if got := f.CallsOf("HSET"); len(got) != 0 {
		t.Fatalf("unchanged edit wrote %q", got)
	}
	if !strings.Contains(a.Render(), "no changes") {
		t.Fatalf("no 'no changes':\n%s", a.Render())
	}
	fakeEditor(t, a, `printf 'multi\nline\nedited' > "$1"`, nil)
	press(t, a, "e")
	if got := f.Vals["h"].(map[string]string)["f"]; got != "multi\nline\nedited" {
		t.Fatalf("stored %q", got)
	}
}

func TestOneLineEditUnchangedWritesNothing(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("h", map[string]string{"f": `C:\path`})
	f.Set("l", []string{"tab\there"})
	a, _ := testApp(t, f, nil, 100, 20)
	start(t, a)
	drain(t, a, a.runCommand("open h"))
	press(t, a, "e")
	if a.viewer.Input == nil || a.viewer.Input.Value() != `C:\\path` {
		t.Fatal("prefill not escaped")
	}
	press(t, a, "enter")
	if got := f.CallsOf("HSET"); len(got) != 0 {
		t.Fatalf("unchanged edit wrote %q", got)
	}
	press(t, a, "e", "end")
	typeText(t, a, `\x00`)
	press(t, a, "enter")
	if got := f.Vals["h"].(map[string]string)["f"]; got != "C:\\path\x00" {
		t.Fatalf("stored %q", got)
	}
}

// Adding a field that exists asks first, showing its value; n keeps it.
func TestAddExistingHashFieldAsks(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("h", map[string]string{"f": "old value"})
	f.Set("z", []uitest.Zmember{{Member: "m", Score: 1}})
	a, _ := testApp(t, f, nil, 120, 20)
	start(t, a)
	drain(t, a, a.runCommand("open h"))
	press(t, a, "a")
	typeText(t, a, "f")
	press(t, a, "enter")
	if v := a.Render(); !strings.Contains(v, "old value") || !strings.Contains(v, "exists") {
		t.Fatalf("existing field not shown:\n%s", v)
	}
	press(t, a, "n")
	if got := f.CallsOf("HSET"); len(got) != 0 || f.Vals["h"].(map[string]string)["f"] != "old value" {
		t.Fatalf("overwrote: %v", got)
	}
	drain(t, a, a.runCommand("open z"))
	press(t, a, "a")
	typeText(t, a, "m")
	press(t, a, "enter")
	if v := a.Render(); !strings.Contains(v, "exists") {
		t.Fatalf("existing member not shown:\n%s", v)
	}
	press(t, a, "n")
	if got := f.CallsOf("ZADD"); len(got) != 0 {
		t.Fatalf("overwrote: %v", got)
	}
}
