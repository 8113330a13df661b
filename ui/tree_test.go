package ui

import (
	"github.com/amr-tui/amr-tui/keyspace"
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"fmt"
	"slices"
	"strings"
	"testing"
)

func folderNames(fs []keyspace.Folder) string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s%d", f.Name, f.Keys))
	}
	return strings.Join(out, ",")
}

// Tree mode is fed by the flat list's one scan (which it lets run to the end): opening a folder
// sends no SCAN, folders list in natural order with exact counts once the scan is complete,
// and a folder's keys are not capped.
func TestTreeUsesTheOneScan(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("user:10:", 3)
	f.AddStrings("user:2:", 2)
	f.AddStrings("order:", 4)
	f.Set("loose", "x")
	f.Set("we*ird:1", "x")
	// The flat list stops after 2 keys; entering tree mode loads the rest with the same scan.
	a, _ := testApp(t, f, nil, 100, 20, func(o *Options) { o.ScanCount = 2; o.LoadBatch = 2 })
	start(t, a)
	if a.browser.Keys.Len() != 2 {
		t.Fatalf("flat list loaded %d", a.browser.Keys.Len())
	}
	press(t, a, "t")
	tr := a.browser.Tree
	if !a.browser.Scan.Done || !tr.Complete(a.browser) {
		t.Fatal("entering tree mode did not load every key")
	}
	if got := folderNames(tr.FolderList()); got != "order:4,user:5,we*ird:1" {
		t.Fatalf("root folders %q", got)
	}
	if got := tr.LeafKeys(a.browser); !slices.Equal(got, []string{"loose"}) {
		t.Fatalf("root keys %q", got)
	}
	scans := len(f.CallsOf("SCAN"))
	press(t, a, "j") // user:
	press(t, a, "enter")
	if got := folderNames(tr.FolderList()); tr.Top().Prefix != "user:" || got != "2:2,10:3" {
		t.Fatalf("user: level %q: %q", tr.Top().Prefix, got)
	}
	press(t, a, "j", "enter") // 10:
	if got := tr.LeafKeys(a.browser); len(got) != 3 || tr.Top().Prefix != "user:10:" {
		t.Fatalf("user:10: keys %q", got)
	}
	if v := stripANSI(a.Render()); !strings.Contains(v, "TREE user:10: │ 0 folders · 3 keys · 3 under prefix · complete") {
		t.Fatalf("tree header:\n%s", v)
	}
	if n := len(f.CallsOf("SCAN")); n != scans {
		t.Fatalf("opening folders sent %d SCANs", n-scans)
	}
	press(t, a, "enter") // the first key
	if a.screen != screenValue || !strings.HasPrefix(a.viewer.Key, "user:10:") {
		t.Fatalf("leaf not opened: %q", a.viewer.Key)
	}
	press(t, a, "esc", "esc", "esc", "g", "j", "j", "enter")
	if lv := tr.Top(); lv.Prefix != `we*ird:` || !slices.Equal(tr.LeafKeys(a.browser), []string{"we*ird:1"}) {
		t.Fatalf("prefix %q keys %q", lv.Prefix, tr.LeafKeys(a.browser))
	}
	press(t, a, "esc", "esc")
	if a.browser.Tree != nil {
		t.Fatal("esc at the root did not leave tree mode")
	}
}

// Before the scan is complete, counts say they are partial; keys arriving later join both the
// counts and the open folder.
func TestTreeCountsPartialUntilComplete(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("a:", 6)
	a, _ := testApp(t, f, nil, 100, 20, func(o *Options) { o.ScanCount = 2; o.LoadBatch = 2 })
	a.c.NoScanAhead = true
	start(t, a)
	b := a.browser
	drain(t, a, b.EnterTree(""))
	if !b.Scan.Done {
		t.Skip("the fake scan finished in one go") // drain runs the whole scan
	}
	if v := stripANSI(a.Render()); !strings.Contains(v, "complete") || strings.Contains(v, "partial") {
		t.Fatalf("complete tree:\n%s", v)
	}
	// Mid-scan: a tree entered on a paused scan says partial and marks counts with +.
	f.AddStrings("b:", 3)
	drain(t, a, b.Start("*", ""))
	b.Scan.Paused = true
	drain(t, a, b.EnterTree(""))
	b.Scan.Paused = true
	if b.Scan.Done {
		t.Skip("the scan completed before it could be paused")
	}
	v := stripANSI(a.Render())
	if !strings.Contains(v, "partial") || !strings.Contains(v, "+ keys)") {
		t.Fatalf("partial tree:\n%s", v)
	}
}

// Deleting a folder's last key removes the folder; the profile's delimiters split folders.
func TestTreeDeletesAndDelimiters(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("img/2024/a.png", "x")
	f.Set("img/2024:b", "x")
	f.Set("solo:x", "x")
	a, _ := testApp(t, f, uitest.NewFakeSession(common.SessionState{Profile: "p", TreeDelimiters: []string{":", "/"}}), 100, 20)
	start(t, a)
	press(t, a, "t")
	tr := a.browser.Tree
	if got := folderNames(tr.FolderList()); got != "img/2,solo:1" {
		t.Fatalf("root folders with [\":\", \"/\"]: %q", got)
	}
	press(t, a, "j", "enter") // solo:
	press(t, a, "d", "y")
	if _, ok := f.Vals["solo:x"]; ok {
		t.Fatal("not deleted")
	}
	press(t, a, "esc")
	if got := folderNames(tr.FolderList()); got != "img/2" {
		t.Fatalf("after deleting solo:'s only key: %q", got)
	}
}

// A folder holding every loaded key (one flat prefix over the keyspace) lists them all,
// in load order, and follows a delete like any other folder.
func TestTreeFolderOfEveryKey(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("key:", 5)
	a, _ := testApp(t, f, nil, 100, 20)
	start(t, a)
	press(t, a, "t")
	tr := a.browser.Tree
	if got := folderNames(tr.FolderList()); got != "key:5" {
		t.Fatalf("root folders %q", got)
	}
	press(t, a, "enter")
	want := a.browser.Keys.Snapshot()
	var all []string
	for i := range want.Refs {
		all = append(all, want.At(i))
	}
	if got := tr.LeafKeys(a.browser); tr.Top().Prefix != "key:" || !slices.Equal(got, all) {
		t.Fatalf("key: level %q: %q, want %q", tr.Top().Prefix, got, all)
	}
	press(t, a, "j") // the second key
	gone := all[1]
	press(t, a, "d", "y")
	if _, ok := f.Vals[gone]; ok {
		t.Fatal("not deleted")
	}
	got := tr.LeafKeys(a.browser)
	if want := slices.Delete(slices.Clone(all), 1, 2); !slices.Equal(got, want) {
		t.Fatalf("after deleting %q: %q, want %q", gone, got, want)
	}
	if v := stripANSI(a.Render()); !strings.Contains(v, "0 folders · 4 keys") {
		t.Fatalf("tree header after the delete:\n%s", v)
	}
}
