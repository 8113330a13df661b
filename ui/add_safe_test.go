package ui

import (
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// `a` asks the name, checks it is free, then the type and the first member; it creates every type.
func TestAddKeyOfEveryType(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("taken", "x")
	a, _ := testApp(t, f, nil, 140, 20)
	start(t, a)
	press(t, a, "a")
	typeText(t, a, "taken")
	press(t, a, "enter")
	if !strings.Contains(a.Render(), "already exists") || a.browser.Input == nil {
		t.Fatalf("taken name not refused:\n%s", a.Render())
	}
	press(t, a, "esc")
	add := func(name, typ string, parts ...string) {
		t.Helper()
		press(t, a, "a")
		typeText(t, a, name)
		press(t, a, "enter", "ctrl+u")
		typeText(t, a, typ)
		press(t, a, "enter")
		for _, p := range parts {
			press(t, a, "ctrl+u")
			typeText(t, a, p)
			press(t, a, "enter")
		}
	}
	add(`s\n1`, "string", `v\x00`)
	add("h", "hash", "f", `multi\nline`)
	add("l", "list", "e")
	add("st", "set", "m")
	add("z", "zset", "m", "1.5")
	add("x", "stream", `k "v w"`)
	add("bad", "tree")
	if !strings.Contains(a.c.FlashMsg.Text, "unknown type") {
		t.Fatalf("unknown type: %q", a.c.FlashMsg.Text)
	}
	press(t, a, "esc")
	if f.Get("s\n1") != "v\x00" || f.Get("h").(map[string]string)["f"] != "multi\nline" ||
		f.Get("l").([]string)[0] != "e" || f.Get("st").(uitest.SetVal)[0] != "m" ||
		f.Get("z").([]uitest.Zmember)[0].Score != 1.5 || f.Get("x").([]common.StreamEntry)[0].Fields[1] != "v w" {
		t.Fatalf("values: %#v", f.Vals)
	}
	if f.Get("taken") != "x" {
		t.Fatal("taken changed")
	}
}

// A key added under :keys * stream that is not a stream does not join that list.
func TestAddRespectsTypeFilter(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("s1", []common.StreamEntry{{ID: "1-0", Fields: []string{"a", "b"}}})
	a, _ := testApp(t, f, nil, 140, 20)
	start(t, a)
	drain(t, a, a.runCommand("keys * stream"))
	press(t, a, "a")
	typeText(t, a, "str")
	press(t, a, "enter", "ctrl+u")
	typeText(t, a, "string")
	press(t, a, "enter")
	typeText(t, a, "v")
	press(t, a, "enter")
	if f.Get("str") != "v" {
		t.Fatal("not created")
	}
	for _, k := range keysOf(a.browser) {
		if k == "str" {
			t.Fatal("a string joined the stream list")
		}
	}
}
