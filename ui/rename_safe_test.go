package ui

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// R + enter on a name with a newline and an ESC byte must not rename it (the prefill used to
// flatten "\n" to a space and drop ESC, renaming the key to another name).
func TestRenamePrefillRoundTripsBytes(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("nl:line1\nline2\x1b[31m\xff", "v")
	a, _ := testApp(t, f, nil, 120, 20)
	start(t, a)
	press(t, a, "R")
	if got := a.browser.Input.Value(); got != `nl:line1\nline2\x1b[31m\xff` {
		t.Fatalf("prefill %q, want the escaped name", got)
	}
	press(t, a, "enter")
	if got := f.CallsOf("RENAME"); len(got) != 0 {
		t.Fatalf("unchanged rename wrote %v", got)
	}
	if _, ok := f.Vals["nl:line1\nline2\x1b[31m\xff"]; !ok {
		t.Fatal("key lost")
	}
	// Editing the escaped text renames to exactly the bytes it spells.
	press(t, a, "R", "ctrl+u")
	typeText(t, a, `new\tname\x00\\`)
	press(t, a, "enter")
	if _, ok := f.Vals["new\tname\x00\\"]; !ok {
		t.Fatalf("renamed to the wrong bytes: %v", f.Calls)
	}
	// A bad escape keeps the prompt open and writes nothing.
	press(t, a, "R", "ctrl+u")
	typeText(t, a, `bad\q`)
	press(t, a, "enter")
	if a.browser.Input == nil || !strings.Contains(a.Render(), "unknown escape") {
		t.Fatalf("bad escape not explained:\n%s", a.Render())
	}
	if got := f.CallsOf("RENAME"); len(got) != 1 {
		t.Fatalf("calls %v", got)
	}
}

// Renaming onto an existing key never overwrites it without the user typing its name.
func TestRenameOntoExistingKeyAsks(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("a", "string value")
	f.Set("events:orders", map[string]string{"f": "v"})
	a, _ := testApp(t, f, nil, 140, 20)
	start(t, a)
	press(t, a, "R", "ctrl+u")
	typeText(t, a, "events:orders")
	press(t, a, "enter")
	if got := f.CallsOf("RENAME "); len(got) != 0 {
		t.Fatalf("overwrote without asking: %v", got)
	}
	view := a.Render()
	if !strings.Contains(view, "events:orders exists") || !strings.Contains(view, "hash") {
		t.Fatalf("target not described:\n%s", view)
	}
	typeText(t, a, "events:order")
	press(t, a, "enter")
	view = a.Render()
	if !strings.Contains(view, "cancelled: the name did not match") || strings.Contains(view, "events:order ") {
		t.Fatalf("mismatch not reported (or echoed):\n%s", view)
	}
	if h, ok := f.Vals["events:orders"].(map[string]string); !ok || h["f"] != "v" {
		t.Fatal("target changed after a cancelled overwrite")
	}
	// Typing the name overwrites, as asked.
	press(t, a, "R", "ctrl+u")
	typeText(t, a, "events:orders")
	press(t, a, "enter")
	typeText(t, a, "events:orders")
	press(t, a, "enter")
	if got := f.CallsOf("RENAME "); !slices.Equal(got, []string{"RENAME a events:orders"}) {
		t.Fatalf("calls %v", got)
	}
	if f.Vals["events:orders"] != "string value" {
		t.Fatal("overwrite did not happen")
	}
}

// A paste into a one-line prompt keeps tabs and ESC as escapes and refuses several lines.
func TestPasteIntoPrompts(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("k", "v")
	a, _ := testApp(t, f, nil, 120, 20)
	start(t, a)
	press(t, a, "R", "ctrl+u")
	_, cmd := a.Update(tea.PasteMsg{Content: "two\nlines"})
	drain(t, a, cmd)
	if a.browser.Input.Value() != "" || !strings.Contains(a.c.FlashMsg.Text, "paste refused") {
		t.Fatalf("multi-line paste: %q / %q", a.browser.Input.Value(), a.c.FlashMsg.Text)
	}
	_, cmd = a.Update(tea.PasteMsg{Content: "a\tb\x1bc\n"})
	drain(t, a, cmd)
	press(t, a, "enter")
	if f.Get("a\tb\x1bc") != "v" {
		t.Fatalf("pasted name not kept exactly: %v", f.Calls)
	}
}
