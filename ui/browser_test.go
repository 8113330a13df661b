package ui

import (
	"github.com/amr-tui/amr-tui/ui/browser"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"errors"
	"image/color"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

func keysOf(b *browser.Model) []string {
	out := make([]string, b.Count())
	for i := range out {
		out[i] = b.KeyAt(i)
	}
	return out
}

func TestScanLoadsEverythingInPages(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 2500)
	a, _ := testApp(t, f, nil, 80, 20, func(o *Options) { o.ScanCount = 300 })
	start(t, a)
	b := a.browser
	if got := b.Keys.Len(); got != 2500 {
		t.Fatalf("loaded %d keys, want 2500", got)
	}
	if !b.Scan.Done || b.Scan.InFlight {
		t.Fatalf("scan not finished: %+v", b.Scan)
	}
	scans := f.CallsOf("SCAN ")
	if len(scans) != 9 { // ceil(2500/300)
		t.Fatalf("SCAN calls = %d, want 9: %v", len(scans), scans)
	}
	if scans[0] != "SCAN 0 * 300 " || scans[1] != "SCAN 300 * 300 " {
		t.Fatalf("SCAN cursors not followed: %v", scans[:2])
	}
	if len(f.CallsOf("KEYS")) != 0 {
		t.Fatal("KEYS must never be used")
	}
	if !strings.Contains(a.Render(), "loaded 2,500 of 2,500 (DBSIZE) · complete") {
		t.Fatalf("status missing:\n%s", a.Render())
	}
}

func TestLoadMoreContinuesFromCursor(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 1000)
	a, _ := testApp(t, f, nil, 80, 20, func(o *Options) { o.ScanCount = 100; o.LoadBatch = 250 })
	start(t, a)
	b := a.browser
	if b.Keys.Len() != 300 || b.Scan.Done {
		t.Fatalf("first batch: loaded %d (done=%v), want 300 and waiting", b.Keys.Len(), b.Scan.Done)
	}
	if !strings.Contains(a.Render(), "m: load more") {
		t.Fatalf("no load-more hint:\n%s", a.Render())
	}
	press(t, a, "m")
	if b.Keys.Len() != 600 {
		t.Fatalf("after load more: %d keys, want 600", b.Keys.Len())
	}
	scans := f.CallsOf("SCAN ")
	for i, s := range scans[1:] {
		if strings.HasPrefix(s, "SCAN 0 ") {
			t.Fatalf("scan restarted at call %d: %v", i+1, scans)
		}
	}
	press(t, a, "M") // load all
	if b.Keys.Len() != 1000 || !b.Scan.Done {
		t.Fatalf("load all: %d keys, done=%v", b.Keys.Len(), b.Scan.Done)
	}
	if got := len(f.CallsOf("SCAN 0 ")); got != 1 {
		t.Fatalf("SCAN from cursor 0 issued %d times, want 1", got)
	}
}

// Loading every key (M) scans with five times the configured COUNT from there on, and sizes
// the key set once from DBSIZE instead of growing it page by page.
func TestLoadAllScansWithLargerCountAndReserves(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 20_000)
	a, _ := testApp(t, f, nil, 80, 20, func(o *Options) { o.ScanCount = 100; o.LoadBatch = 250 })
	start(t, a)
	b := a.browser
	before := len(f.CallsOf("SCAN "))
	for _, s := range f.CallsOf("SCAN ") {
		if !strings.HasSuffix(s, " * 100 ") {
			t.Fatalf("paging scanned with %q, want the configured COUNT 100", s)
		}
	}
	press(t, a, "M")
	if b.Keys.Len() != 20_000 || !b.Scan.Done {
		t.Fatalf("load all: %d keys, done=%v", b.Keys.Len(), b.Scan.Done)
	}
	after := f.CallsOf("SCAN ")[before:]
	for _, s := range after {
		if !strings.HasSuffix(s, " * 500 ") {
			t.Fatalf("load all scanned with %q, want COUNT 500 (5 × 100)", s)
		}
	}
	if got := cap(b.Keys.Refs); got != 20_000 {
		t.Errorf("key set capacity %d after loading 20,000 keys: not sized once from DBSIZE", got)
	}
}

func TestPauseAndResume(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 5000)
	a, _ := testApp(t, f, nil, 80, 20, func(o *Options) { o.ScanCount = 100 })
	// Handle the first page (one SCAN step: 100 keys) by hand, then pause while the next batch
	// (browser.ScanBatchKeys keys) is in flight.
	var next tea.Cmd
	for _, m := range runBatch(t, a.browser.Start("*", "")) {
		if _, ok := m.(browser.ScanPageMsg); ok {
			_, next = a.Update(m)
		}
	}
	press(t, a, "p")
	if !a.browser.Scan.Paused {
		t.Fatal("p did not pause")
	}
	// The page in flight still lands, but the scan does not continue.
	for _, m := range runBatch(t, next) {
		if _, ok := m.(browser.ScanPageMsg); ok {
			if _, cmd := a.Update(m); cmd != nil {
				if _, isMeta := cmd().(browser.MetaMsg); !isMeta {
					t.Fatal("scan continued while paused")
				}
			}
		}
	}
	if !strings.Contains(a.Render(), "paused") {
		t.Fatalf("paused state not shown:\n%s", a.Render())
	}
	if n := a.browser.Keys.Len(); n != 100+browser.ScanBatchKeys {
		t.Fatalf("loaded %d while paused, want %d", n, 100+browser.ScanBatchKeys)
	}
	press(t, a, "p")
	if a.browser.Keys.Len() != 5000 || !a.browser.Scan.Done {
		t.Fatalf("resume: %d keys, done=%v", a.browser.Keys.Len(), a.browser.Scan.Done)
	}
}

// runBatch runs a command (and a batch's members) once, without feeding results back.
func runBatch(t *testing.T, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	var out []tea.Msg
	m, ok := runCmd(nil, cmd)
	if !ok {
		return nil
	}
	if bm, isBatch := m.(tea.BatchMsg); isBatch {
		for _, c := range bm {
			if c == nil {
				continue
			}
			if m, ok := runCmd(nil, c); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return append(out, m)
}

func TestStaleScanRepliesAreDropped(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("a:", 10)
	f.AddStrings("b:", 10)
	a, _ := testApp(t, f, nil, 80, 20)
	b := a.browser
	b.Start("a:*", "")
	oldGen := b.Scan.Gen
	drain(t, a, b.Start("b:*", ""))
	a.Update(browser.ScanPageMsg{Gen: oldGen, Keys: []string{"a:1", "a:2"}})
	for _, k := range keysOf(b) {
		if strings.HasPrefix(k, "a:") {
			t.Fatalf("stale page leaked into the list: %v", keysOf(b))
		}
	}
	if b.Keys.Len() != 10 {
		t.Fatalf("loaded %d, want 10", b.Keys.Len())
	}
}

func TestExactKeyJumpDoesNotScan(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("user:", 50)
	a, _ := testApp(t, f, nil, 80, 20)
	drain(t, a, a.runCommand("keys user:42"))
	if n := len(f.CallsOf("SCAN")); n != 0 {
		t.Fatalf("exact key lookup scanned %d times", n)
	}
	if got := f.CallsOf("EXISTS"); len(got) != 1 || got[0] != "EXISTS user:42" {
		t.Fatalf("EXISTS calls: %v", got)
	}
	if ks := keysOf(a.browser); len(ks) != 1 || ks[0] != "user:42" {
		t.Fatalf("list = %v", ks)
	}
	drain(t, a, a.runCommand("keys nope"))
	if !strings.Contains(a.Render(), "no such key") {
		t.Fatalf("missing key not reported:\n%s", a.Render())
	}
}

func TestNavigationKeepsCursorVisible(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 100)
	a, _ := testApp(t, f, nil, 80, 12) // body 9 → 7 rows
	start(t, a)
	b := a.browser
	rows := b.RowsHeight(a.c.BodyHeight())
	if rows != 7 {
		t.Fatalf("rows = %d, want 7", rows)
	}
	press(t, a, "j", "j", "down")
	if b.Cursor != 3 || b.Offset != 0 {
		t.Fatalf("cursor %d offset %d", b.Cursor, b.Offset)
	}
	press(t, a, "G")
	if b.Cursor != 99 || b.Offset != 93 {
		t.Fatalf("G: cursor %d offset %d", b.Cursor, b.Offset)
	}
	press(t, a, "k")
	if b.Cursor != 98 || b.Offset != 93 {
		t.Fatalf("k: cursor %d offset %d", b.Cursor, b.Offset)
	}
	press(t, a, "g")
	if b.Cursor != 0 || b.Offset != 0 {
		t.Fatalf("g: cursor %d offset %d", b.Cursor, b.Offset)
	}
	press(t, a, "pgdown")
	if b.Cursor != 7 || b.Offset != 7 {
		t.Fatalf("pgdown: cursor %d offset %d", b.Cursor, b.Offset)
	}
	press(t, a, "pgup")
	if b.Cursor != 0 || b.Offset != 0 {
		t.Fatalf("pgup: cursor %d offset %d", b.Cursor, b.Offset)
	}
	press(t, a, "k") // at the top: stays
	if b.Cursor != 0 {
		t.Fatalf("k at top moved to %d", b.Cursor)
	}
	// Metadata was fetched for visible rows only.
	if _, ok := b.Meta["k50"]; ok {
		t.Fatal("metadata fetched for a row that was never visible")
	}
	if _, ok := b.Meta["k0"]; !ok {
		t.Fatal("no metadata for a visible row")
	}
}

func TestFilterIsClientSide(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("user:", 20)
	f.AddStrings("order:", 20)
	a, _ := testApp(t, f, nil, 80, 20)
	start(t, a)
	scans := len(f.CallsOf("SCAN"))
	press(t, a, "/")
	typeText(t, a, "order:1")
	if got := len(keysOf(a.browser)); got != 11 { // order:1, order:10…19
		t.Fatalf("filter order:1 matched %d keys, want 11", got)
	}
	press(t, a, "enter")
	if len(f.CallsOf("SCAN")) != scans {
		t.Fatal("the client-side filter issued SCAN")
	}
	if v := a.Render(); !strings.Contains(v, "filter /order:1/ (client-side) · 11 of 40 loaded") {
		t.Fatalf("filter line missing:\n%s", v)
	}
	press(t, a, "esc")
	if got := len(keysOf(a.browser)); got != 40 {
		t.Fatalf("esc did not clear the filter: %d keys", got)
	}
	// Smart case: an upper-case letter makes the filter case-sensitive.
	press(t, a, "/")
	typeText(t, a, "USER")
	if got := len(keysOf(a.browser)); got != 0 {
		t.Fatalf("USER matched %d keys case-sensitively", got)
	}
	press(t, a, "backspace", "backspace", "backspace", "backspace")
	typeText(t, a, "user")
	if got := len(keysOf(a.browser)); got != 20 {
		t.Fatalf("user matched %d keys", got)
	}
	press(t, a, "home") // a leading ! inverts
	typeText(t, a, "!")
	if got := keysOf(a.browser); len(got) != 20 || !strings.HasPrefix(got[0], "order:") {
		t.Fatalf("!user matched %v", got)
	}
}

func TestFilterCatchesUpWithNewPages(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("a", 100)
	a, _ := testApp(t, f, nil, 80, 20, func(o *Options) { o.ScanCount = 10; o.LoadBatch = 30 })
	start(t, a)
	press(t, a, "/")
	typeText(t, a, "a1")
	before := len(keysOf(a.browser)) // a1, a10…a19 among the first 30 → 11
	if before != 11 {
		t.Fatalf("before: %d", before)
	}
	press(t, a, "enter", "M")
	if got := len(keysOf(a.browser)); got != 11 {
		t.Fatalf("after loading all: %d matches, want 11", got)
	}
	f2 := uitest.NewFakeStore()
	f2.AddStrings("a", 300)
	a2, _ := testApp(t, f2, nil, 80, 20, func(o *Options) { o.ScanCount = 10; o.LoadBatch = 30 })
	start(t, a2)
	press(t, a2, "/")
	typeText(t, a2, "a2")
	press(t, a2, "enter", "M")
	if got := len(keysOf(a2.browser)); got != 111 { // a2, a20…a29, a200…a299
		t.Fatalf("matches after catch-up = %d, want 111", got)
	}
}

func TestScanErrorIsShownAndRetried(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 1000)
	failed := false
	f.ScanFn = func(cursor uint64) { // fail once, mid-scan; called with f.mu held
		f.Err = nil
		if cursor == 300 && !failed {
			failed = true
			f.Err = errors.New("NOPERM this user has no permissions to run the 'scan' command")
		}
	}
	a, _ := testApp(t, f, nil, 120, 20, func(o *Options) { o.ScanCount = 100 })
	start(t, a)
	if a.browser.Scan.Err == nil || a.browser.Keys.Len() != 300 {
		t.Fatalf("scan error not recorded (err %v, %d keys)", a.browser.Scan.Err, a.browser.Keys.Len())
	}
	if v := a.Render(); !strings.Contains(v, "scan failed") || !strings.Contains(v, "NOPERM") {
		t.Fatalf("error not shown:\n%s", v)
	}
	press(t, a, "p")
	if a.browser.Keys.Len() != 1000 || !a.browser.Scan.Done {
		t.Fatalf("after retry: %d keys", a.browser.Keys.Len())
	}
	if n := len(f.CallsOf("SCAN 0 ")); n != 1 {
		t.Fatalf("retry restarted the scan (%d SCAN 0 calls)", n)
	}
	if n := len(f.CallsOf("SCAN 300 ")); n != 2 {
		t.Fatalf("failed page asked %d times, want 2", n)
	}
}

func TestThemeFollowsTerminal(t *testing.T) {
	a, _ := testApp(t, uitest.NewFakeStore(), nil, 80, 20, func(o *Options) { o.NoColor = false })
	if !a.c.Styles.Dark {
		t.Fatal("dark by default")
	}
	a.Update(tea.BackgroundColorMsg{Color: color.White})
	if a.c.Styles.Dark {
		t.Fatal("a light background did not switch to the light theme")
	}
	drain(t, a, a.runCommand("theme dark"))
	a.Update(tea.BackgroundColorMsg{Color: color.White})
	if !a.c.Styles.Dark {
		t.Fatal(":theme dark was overridden by the terminal report")
	}
	nc, _ := testApp(t, uitest.NewFakeStore(), nil, 80, 20)
	nc.Update(tea.BackgroundColorMsg{Color: color.White})
	if !nc.c.Styles.NoColor || strings.Contains(nc.Render(), "\x1b[38") {
		t.Fatal("NO_COLOR output has colours")
	}
}

// Keys written while the scan runs make the DBSIZE read at its start stale: a complete scan
// asks again and says how many keys it could not have listed, instead of "loaded N of M" with
// N above M.
func TestCompleteScanRereadsDBSize(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 1000)
	f.ScanFn = func(cursor uint64) {
		if cursor == 500 { // behind the cursor: this walk never returns them
			for i := range 40 {
				f.Vals["late:"+strconv.Itoa(i)] = "v"
			}
		}
	}
	a, _ := testApp(t, f, nil, 120, 20, func(o *Options) { o.ScanCount = 100 })
	start(t, a)
	b := a.browser
	if !b.Scan.Done || b.Keys.Len() != 1000 {
		t.Fatalf("scan: %d keys, done=%v", b.Keys.Len(), b.Scan.Done)
	}
	if got := len(f.CallsOf("DBSIZE")); got != 2 {
		t.Errorf("DBSIZE asked %d times, want at the start and once more at the end", got)
	}
	if v := ansi.Strip(a.Render()); !strings.Contains(v, "loaded 1,000 of 1,040 (DBSIZE) · complete, 40 more since it began (r rescans)") {
		t.Fatalf("status line does not say the keyspace grew:\n%s", v)
	}
}
