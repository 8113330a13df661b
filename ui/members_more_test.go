package ui

import (
	"slices"
	"strings"
	"testing"
)

func TestListEditing(t *testing.T) {
	f := newFakeStore()
	f.set("l", []string{"a", "b", "c"})
	a, _ := testApp(t, f, nil, 100, 20)
	start(t, a)
	drain(t, a, a.runCommand("open l"))

	press(t, a, "a")
	if !strings.Contains(a.Render(), "RPUSH (append): ") {
		t.Fatalf("no append prompt:\n%s", a.Render())
	}
	typeText(t, a, "d")
	press(t, a, "enter", "i")
	typeText(t, a, "z")
	press(t, a, "enter")
	if got := f.get("l").([]string); !slices.Equal(got, []string{"z", "a", "b", "c", "d"}) {
		t.Fatalf("after RPUSH and LPUSH: %v", got)
	}

	press(t, a, "j", "j", "d") // index 2: "b"
	if !strings.Contains(a.Render(), "remove element 2 (b)?") {
		t.Fatalf("no confirmation:\n%s", a.Render())
	}
	press(t, a, "y")
	if got := f.get("l").([]string); !slices.Equal(got, []string{"z", "a", "c", "d"}) {
		t.Fatalf("after delete by index: %v", got)
	}
	if got := f.callsOf("LREMAT"); !slices.Equal(got, []string{"LREMAT l 2 b"}) {
		t.Fatalf("calls %v", got)
	}

	// The element changed under the user: nothing is removed and the flash says why.
	press(t, a, "d")
	f.mu.Lock()
	f.vals["l"] = []string{"z", "a", "CHANGED", "d"}
	f.mu.Unlock()
	press(t, a, "y")
	if got := f.get("l").([]string); len(got) != 4 || !strings.Contains(a.c.flashMsg.text, "changed since it was read") {
		t.Fatalf("stale delete: %v, flash %q", got, a.c.flashMsg.text)
	}
}

func TestStreamEditing(t *testing.T) {
	f := newFakeStore()
	f.set("s", []StreamEntry{{ID: "1-0", Fields: []string{"k", "v"}}, {ID: "2-0", Fields: []string{"k", "w"}}})
	a, _ := testApp(t, f, nil, 100, 20)
	start(t, a)
	drain(t, a, a.runCommand("open s"))

	press(t, a, "a")
	typeText(t, a, "odd")
	press(t, a, "enter")
	if !strings.Contains(a.c.flashMsg.text, "field value pairs") || len(f.callsOf("XADD")) != 0 {
		t.Fatalf("odd fields: %q", a.c.flashMsg.text)
	}
	press(t, a, "a")
	typeText(t, a, `type click note "two words"`)
	press(t, a, "enter")
	es := f.get("s").([]StreamEntry)
	if len(es) != 3 || !slices.Equal(es[2].Fields, []string{"type", "click", "note", "two words"}) {
		t.Fatalf("XADD: %+v", es)
	}
	if len(a.viewer.page.rows) != 3 {
		t.Fatalf("page not re-read: %d rows", len(a.viewer.page.rows))
	}

	press(t, a, "d")
	if !strings.Contains(a.Render(), "XDEL 1-0?") {
		t.Fatalf("no confirmation:\n%s", a.Render())
	}
	press(t, a, "y")
	if es := f.get("s").([]StreamEntry); len(es) != 2 || es[0].ID != "2-0" {
		t.Fatalf("XDEL: %+v", es)
	}
}

func TestListAndStreamEditingRefusedReadOnly(t *testing.T) {
	f := newFakeStore()
	f.set("l", []string{"a", "b"})
	f.set("s", []StreamEntry{{ID: "1-0", Fields: []string{"k", "v"}}})
	a, _ := testApp(t, f, newFakeSession(SessionState{Profile: "p", ReadOnly: true}), 100, 20)
	start(t, a)
	for _, c := range []struct{ key, press string }{{"l", "a"}, {"l", "i"}, {"l", "d"}, {"s", "a"}, {"s", "d"}} {
		drain(t, a, a.runCommand("open "+c.key))
		a.c.flashMsg = flash{}
		press(t, a, c.press)
		if a.viewer.input != nil || a.viewer.confirm != nil || !strings.Contains(a.c.flashMsg.text, "read-only") {
			t.Fatalf("%s on %s: flash %q", c.press, c.key, a.c.flashMsg.text)
		}
	}
	for _, c := range []string{"RPUSH", "LPUSH", "LREMAT", "XADD", "XDEL"} {
		if got := f.callsOf(c); len(got) != 0 {
			t.Fatalf("read-only profile called %v", got)
		}
	}
}

func TestSplitQuoted(t *testing.T) {
	for in, want := range map[string][]string{
		`a b`:               {"a", "b"},
		`  a   "b c"  `:     {"a", "b c"},
		`'it''s' "q\"x"`:    {"its", `q"x`},
		`f ""`:              {"f", ""},
		`name "a\\b" 'c d'`: {"name", `a\b`, "c d"},
	} {
		got, ok := splitQuoted(in)
		if !ok || !slices.Equal(got, want) {
			t.Errorf("splitQuoted(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{`"open`, `'open`, `x "a\`} {
		if _, ok := splitQuoted(bad); ok {
			t.Errorf("splitQuoted(%q) accepted an unclosed quote", bad)
		}
	}
}
