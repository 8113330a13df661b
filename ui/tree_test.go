package ui

import (
	"strings"
	"testing"
)

func TestTreeScansPerPrefix(t *testing.T) {
	f := newFakeStore()
	f.addStrings("user:1:", 3)
	f.addStrings("user:2:", 2)
	f.addStrings("order:", 4)
	f.set("loose", "x")
	f.set("we*ird:1", "x")
	// The flat list stops after 2 keys: the tree must not depend on it.
	a, _ := testApp(t, f, nil, 100, 20, func(o *Options) { o.ScanCount = 2; o.LoadBatch = 2 })
	start(t, a)
	if a.browser.keys.Len() != 2 {
		t.Fatalf("flat list loaded %d", a.browser.keys.Len())
	}
	press(t, a, "t")
	lv := a.browser.tree.top()
	if !lv.scan.done {
		t.Fatal("root level scan not complete")
	}
	if got := strings.Join(lv.names, ","); got != "order,user,we*ird" {
		t.Fatalf("folders %q", got)
	}
	if lv.counts["user"] != 5 || lv.counts["order"] != 4 || lv.leaves.Len() != 1 {
		t.Fatalf("counts %v leaves %d", lv.counts, lv.leaves.Len())
	}
	press(t, a, "j") // user
	press(t, a, "enter")
	lv = a.browser.tree.top()
	if lv.prefix != "user:" || strings.Join(lv.names, ",") != "1,2" || lv.counts["1"] != 3 {
		t.Fatalf("user: level %q %v %v", lv.prefix, lv.names, lv.counts)
	}
	if got := f.callsOf("SCAN 0 user:* "); len(got) != 1 {
		t.Fatalf("level scan not scoped to the prefix: %v", f.callsOf("SCAN 0 "))
	}
	press(t, a, "enter") // 1
	lv = a.browser.tree.top()
	if lv.leaves.Len() != 3 || len(lv.names) != 0 {
		t.Fatalf("user:1: level: %d leaves", lv.leaves.Len())
	}
	if v := stripANSI(a.Render()); !strings.Contains(v, "TREE user:1: │ 0 folders · 3 keys") {
		t.Fatalf("tree header:\n%s", v)
	}
	press(t, a, "enter") // open user:1:0
	if a.screen != screenValue || a.viewer.key != "user:1:0" {
		t.Fatalf("leaf not opened: %q", a.viewer.key)
	}
	press(t, a, "esc", "esc", "esc", "g", "j", "j", "enter")
	if lv := a.browser.tree.top(); lv.prefix != `we*ird:` {
		t.Fatalf("prefix %q", lv.prefix)
	}
	if got := f.callsOf(`SCAN 0 we\*ird:*`); len(got) != 1 {
		t.Fatal("glob characters in a prefix were not escaped")
	}
	press(t, a, "esc", "esc")
	if a.browser.tree != nil {
		t.Fatal("esc at the root did not leave tree mode")
	}
}
