package ui

import (
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"strings"
	"testing"
)

func TestTreeScansPerPrefix(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("user:1:", 3)
	f.AddStrings("user:2:", 2)
	f.AddStrings("order:", 4)
	f.Set("loose", "x")
	f.Set("we*ird:1", "x")
	// The flat list stops after 2 keys: the tree must not depend on it.
	a, _ := testApp(t, f, nil, 100, 20, func(o *Options) { o.ScanCount = 2; o.LoadBatch = 2 })
	start(t, a)
	if a.browser.Keys.Len() != 2 {
		t.Fatalf("flat list loaded %d", a.browser.Keys.Len())
	}
	press(t, a, "t")
	lv := a.browser.Tree.Top()
	if !lv.Scan.Done {
		t.Fatal("root level scan not complete")
	}
	if got := strings.Join(lv.Names, ","); got != "order,user,we*ird" {
		t.Fatalf("folders %q", got)
	}
	if lv.Counts["user"] != 5 || lv.Counts["order"] != 4 || lv.Leaves.Len() != 1 {
		t.Fatalf("counts %v leaves %d", lv.Counts, lv.Leaves.Len())
	}
	press(t, a, "j") // user
	press(t, a, "enter")
	lv = a.browser.Tree.Top()
	if lv.Prefix != "user:" || strings.Join(lv.Names, ",") != "1,2" || lv.Counts["1"] != 3 {
		t.Fatalf("user: level %q %v %v", lv.Prefix, lv.Names, lv.Counts)
	}
	if got := f.CallsOf("SCAN 0 user:* "); len(got) != 1 {
		t.Fatalf("level scan not scoped to the prefix: %v", f.CallsOf("SCAN 0 "))
	}
	press(t, a, "enter") // 1
	lv = a.browser.Tree.Top()
	if lv.Leaves.Len() != 3 || len(lv.Names) != 0 {
		t.Fatalf("user:1: level: %d leaves", lv.Leaves.Len())
	}
	if v := stripANSI(a.Render()); !strings.Contains(v, "TREE user:1: │ 0 folders · 3 keys") {
		t.Fatalf("tree header:\n%s", v)
	}
	press(t, a, "enter") // open user:1:0
	if a.screen != screenValue || a.viewer.Key != "user:1:0" {
		t.Fatalf("leaf not opened: %q", a.viewer.Key)
	}
	press(t, a, "esc", "esc", "esc", "g", "j", "j", "enter")
	if lv := a.browser.Tree.Top(); lv.Prefix != `we*ird:` {
		t.Fatalf("prefix %q", lv.Prefix)
	}
	if got := f.CallsOf(`SCAN 0 we\*ird:*`); len(got) != 1 {
		t.Fatal("glob characters in a prefix were not escaped")
	}
	press(t, a, "esc", "esc")
	if a.browser.Tree != nil {
		t.Fatal("esc at the root did not leave tree mode")
	}
}
