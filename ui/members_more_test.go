package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"slices"
	"strings"
	"testing"
)

func TestListEditing(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("l", []string{"a", "b", "c"})
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
	if got := f.Get("l").([]string); !slices.Equal(got, []string{"z", "a", "b", "c", "d"}) {
		t.Fatalf("after RPUSH and LPUSH: %v", got)
	}

	press(t, a, "j", "j", "d") // index 2: "b"
	if !strings.Contains(a.Render(), "remove element 2 (b)?") {
		t.Fatalf("no confirmation:\n%s", a.Render())
	}
	press(t, a, "y")
	if got := f.Get("l").([]string); !slices.Equal(got, []string{"z", "a", "c", "d"}) {
		t.Fatalf("after delete by index: %v", got)
	}
	if got := f.CallsOf("LREMAT"); !slices.Equal(got, []string{"LREMAT l 2 b"}) {
		t.Fatalf("calls %v", got)
	}

	// The element changed under the user: nothing is removed and the flash says why.
	press(t, a, "d")
	f.Mu.Lock()
	f.Vals["l"] = []string{"z", "a", "CHANGED", "d"}
	f.Mu.Unlock()
	press(t, a, "y")
	if got := f.Get("l").([]string); len(got) != 4 || !strings.Contains(a.c.FlashMsg.Text, "changed since it was read") {
		t.Fatalf("stale delete: %v, flash %q", got, a.c.FlashMsg.Text)
	}
}

func TestStreamEditing(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("s", []common.StreamEntry{{ID: "1-0", Fields: []string{"k", "v"}}, {ID: "2-0", Fields: []string{"k", "w"}}})
	a, _ := testApp(t, f, nil, 100, 20)
	start(t, a)
	drain(t, a, a.runCommand("open s"))

	press(t, a, "a")
	typeText(t, a, "odd")
	press(t, a, "enter")
	if !strings.Contains(a.c.FlashMsg.Text, "field value pairs") || len(f.CallsOf("XADD")) != 0 {
		t.Fatalf("odd fields: %q", a.c.FlashMsg.Text)
	}
	press(t, a, "esc", "a") // the prompt stayed open to be fixed
	typeText(t, a, `type click note "two words"`)
	press(t, a, "enter")
	es := f.Get("s").([]common.StreamEntry)
	if len(es) != 3 || !slices.Equal(es[2].Fields, []string{"type", "click", "note", "two words"}) {
		t.Fatalf("XADD: %+v", es)
	}
	if len(a.viewer.Page.Rows) != 3 {
		t.Fatalf("page not re-read: %d rows", len(a.viewer.Page.Rows))
	}

	press(t, a, "d")
	if !strings.Contains(a.Render(), "XDEL 1-0?") {
		t.Fatalf("no confirmation:\n%s", a.Render())
	}
	press(t, a, "y")
	if es := f.Get("s").([]common.StreamEntry); len(es) != 2 || es[0].ID != "2-0" {
		t.Fatalf("XDEL: %+v", es)
	}
}

func TestListAndStreamEditingRefusedReadOnly(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("l", []string{"a", "b"})
	f.Set("s", []common.StreamEntry{{ID: "1-0", Fields: []string{"k", "v"}}})
	a, _ := testApp(t, f, uitest.NewFakeSession(common.SessionState{Profile: "p", ReadOnly: true}), 100, 20)
	start(t, a)
	for _, c := range []struct{ key, press string }{{"l", "a"}, {"l", "i"}, {"l", "d"}, {"s", "a"}, {"s", "d"}} {
		drain(t, a, a.runCommand("open "+c.key))
		a.c.FlashMsg = common.Flash{}
		press(t, a, c.press)
		if a.viewer.Input != nil || a.viewer.Confirm != nil || !strings.Contains(a.c.FlashMsg.Text, "read-only") {
			t.Fatalf("%s on %s: flash %q", c.press, c.key, a.c.FlashMsg.Text)
		}
	}
	for _, c := range []string{"RPUSH", "LPUSH", "LREMAT", "XADD", "XDEL"} {
		if got := f.CallsOf(c); len(got) != 0 {
			t.Fatalf("read-only profile called %v", got)
		}
	}
}
