package browser

import (
	tea "charm.land/bubbletea/v2"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// A reader running ahead under a load target hears when the target is lifted (M, tree mode):
// it reads on past the old target to the end of the scan, and its steps from then on ask for
// the larger COUNT, instead of walking the rest of the old target at the paging COUNT. The old
// room (100,000) is more than the reader can hold unread (aheadPages batches and the one in
// hand), so it is still running, blocked on the channel, when lift comes.
func TestScanAheadLiftedReadsToTheEnd(t *testing.T) {
	const total, room = 200_000, 100_000
	f := uitest.NewFakeStore()
	f.AddStrings("k", total)
	a := startAhead(context.Background(), time.Minute, f, "", "*", 100, "", 1, room)
	first := <-a.Ch
	a.lift(500)
	keys := len(first.Keys)
	for msg := range a.Ch {
		if msg.err != nil {
			t.Fatal(msg.err)
		}
		keys += len(msg.Keys)
	}
	if keys != total {
		t.Fatalf("the lifted reader loaded %d keys, want all %d (its old room was %d)", keys, total, room)
	}
	scans := f.CallsOf("SCAN ")
	small := 0
	for _, s := range scans {
		if strings.HasSuffix(s, " * 100 ") {
			small++
		}
	}
	// The first page and the batches already buffered or being read when lift came
	// (aheadPages + 1) ran at COUNT 100; everything after at COUNT 500.
	if limit := (aheadPages + 2) * ScanBatchKeys / 100; small > limit {
		t.Errorf("%d steps at COUNT 100 after the lift (at most %d expected): %v", small, limit, scans[:small])
	}
	if n := len(scans) - small; n < (total-(aheadPages+2)*ScanBatchKeys)/500 {
		t.Errorf("only %d steps at COUNT 500", n)
	}
}

// The first page of a scan goes up with the first SCAN step that finds keys (the screen is
// waiting for it); the pages after it are whole batches.
func TestFirstPageIsTheFirstStepWithKeys(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 10_000)
	c := &common.Common{Store: f, Ctx: context.Background(), Timeout: time.Minute, NoScanAhead: true}
	s := &Scanner{Gen: 1, Match: "*", Count: 100, Target: 100_000}
	first := s.next(c, 0)().(ScanPageMsg)
	if first.err != nil || first.steps != 1 || len(first.Keys) != 100 {
		t.Fatalf("first page: %d steps, %d keys, err %v; want one step of 100 keys", first.steps, len(first.Keys), first.err)
	}
	s.onPage(first)
	second := s.next(c, len(first.Keys))().(ScanPageMsg)
	if len(second.Keys) != ScanBatchKeys {
		t.Fatalf("second page: %d keys, want a batch of %d", len(second.Keys), ScanBatchKeys)
	}

	// A pattern the first steps find nothing for: the page waits for the first step that does.
	f.Set("zz-needle", "v")
	s = &Scanner{Gen: 2, Match: "zz-*", Count: 100, Target: 100_000}
	for page := s.next(c, 0)().(ScanPageMsg); ; page = s.next(c, 0)().(ScanPageMsg) {
		if page.err != nil {
			t.Fatal(page.err)
		}
		s.onPage(page)
		if len(page.Keys) > 0 || s.Done {
			if len(page.Keys) != 1 || page.Keys[0] != "zz-needle" {
				t.Fatalf("page %v", page.Keys)
			}
			break
		}
	}
}

// The key set is sized for the whole load only once the scan has loaded reserveFrom keys: the
// first pages go into small tables (a reserve at DBSIZE made the first page's inserts fault in
// a fresh index of the whole load target before the first keys could show).
func TestReserveWaitsForTheFirstPages(t *testing.T) {
	b, next := loadedTo(t, 1) // the first page
	if n, slots := b.Keys.Len(), len(b.Keys.Dedup.Slots); n == 0 || slots > keyIndexSlots(n) {
		t.Fatalf("after the first page (%d keys) the index has %d slots, want at most %d", n, slots, keyIndexSlots(n))
	}
	for b.Keys.Len() < reserveFrom {
		next = b.OnScanPage(scanPageIn(t, next))
	}
	if want := keyIndexSlots(100_000 + ScanBatchKeys); len(b.Keys.Dedup.Slots) < want || cap(b.Keys.Refs) < 100_000 {
		t.Fatalf("at %d keys: %d slots, refs cap %d; want the load target reserved (%d slots)",
			b.Keys.Len(), len(b.Keys.Dedup.Slots), cap(b.Keys.Refs), want)
	}
}

// scanPageIn runs cmd (and a batch's members) and returns the scan page among their messages.
func scanPageIn(t *testing.T, cmd tea.Cmd) ScanPageMsg {
	t.Helper()
	if cmd == nil {
		t.Fatal("no command")
	}
	switch m := cmd().(type) {
	case ScanPageMsg:
		return m
	case tea.BatchMsg:
		for _, c := range m {
			if c == nil {
				continue
			}
			if p, ok := c().(ScanPageMsg); ok {
				return p
			}
		}
	}
	t.Fatal("no scan page")
	return ScanPageMsg{}
}
