package browser

import (
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// reservedIn runs cmd (and a batch's members) and returns the reservation among their messages.
func reservedIn(t *testing.T, cmd tea.Cmd) (ReservedMsg, bool) {
	t.Helper()
	if cmd == nil {
		return ReservedMsg{}, false
	}
	switch m := cmd().(type) {
	case ReservedMsg:
		return m, true
	case tea.BatchMsg:
		for _, c := range m {
			if r, ok := reservedIn(t, c); ok {
				return r, true
			}
		}
	}
	return ReservedMsg{}, false
}

// loadedTo returns a browser over 3 × reserveFrom keys of a keyspace whose DBSIZE says 1M,
// scanned page by page (COUNT 1000, load target 100,000) until n keys are loaded, and the
// command that reads the next page.
func loadedTo(t *testing.T, n int) (*Model, tea.Cmd) {
	t.Helper()
	f := uitest.NewFakeStore()
	f.AddStrings("k", 3*reserveFrom)
	c := &common.Common{Store: f, Ctx: context.Background(), Timeout: time.Minute, NoScanAhead: true, Now: time.Now}
	b := New(c, 1000, 100_000)
	b.Scan = Scanner{Gen: c.NextGen(), Match: "*", Count: 1000, Target: 100_000}
	b.OnDBSize(DBSizeMsg{gen: b.Scan.Gen, n: 1_000_000})
	next := b.OnScanPage(b.Scan.next(c, 0)().(ScanPageMsg))
	for b.Keys.Len() < n {
		next = b.OnScanPage(scanPageIn(t, next))
	}
	return b, next
}

// Sizing the set for a load of every key allocates and faults in tens of MB (1M keys: 28 MB,
// 5M: 124 MB; 55 and 180 ms on a 2-core VM), which used to freeze the screen and every key
// press that long right after M. The room is made by a Cmd; Update only moves the keys in.
func TestLoadAllMakesRoomOffTheUpdate(t *testing.T) {
	b, _ := loadedTo(t, reserveFrom)
	before := b.Keys.Len()
	first, last := b.Keys.At(0), b.Keys.At(before-1)

	cmd := b.loadMore(true)
	if cap(b.Keys.Refs) >= 1_000_000 || len(b.Keys.Dedup.Slots) >= keyIndexSlots(1_000_000) {
		t.Fatalf("M sized the set for 1M keys in Update (refs cap %d, %d slots)", cap(b.Keys.Refs), len(b.Keys.Dedup.Slots))
	}
	r, ok := reservedIn(t, cmd)
	if !ok {
		t.Fatal("M started no reservation for a load of 1M keys")
	}
	if again := b.reserve(); again != nil {
		t.Fatal("a second reservation started while the first is being made")
	}
	b.Keys.Add("added-while-reserving")
	b.OnReserved(r)
	if cap(b.Keys.Refs) < 1_000_000 || len(b.Keys.Dedup.Slots) < keyIndexSlots(1_000_000) {
		t.Fatalf("after the reservation: refs cap %d, %d slots; want room for 1M", cap(b.Keys.Refs), len(b.Keys.Dedup.Slots))
	}
	if n := b.Keys.Len(); n != before+1 || b.Keys.At(0) != first || b.Keys.At(before-1) != last || b.Keys.At(before) != "added-while-reserving" {
		t.Fatalf("keys moved in wrongly: %d keys, first %q, last %q", n, b.Keys.At(0), b.Keys.At(n-1))
	}
	for i := range b.Keys.Len() {
		if k := b.Keys.At(i); b.Keys.index(k) != i {
			t.Fatalf("%q at %d is found at %d after the move", k, i, b.Keys.index(k))
		}
	}
	if b.Keys.Add(first) {
		t.Fatal("a key loaded before the move was added again")
	}
}

// A reservation that comes back after the listing was replaced (r, a new pattern) is dropped:
// the new scan's set is another one, sized by its own scan.
func TestStaleReservationIsDropped(t *testing.T) {
	b, _ := loadedTo(t, reserveFrom)
	r, ok := reservedIn(t, b.loadMore(true))
	if !ok {
		t.Fatal("no reservation")
	}
	b.Start("*", "")
	b.OnReserved(r)
	if cap(b.Keys.Refs) >= 1_000_000 {
		t.Fatalf("a stale reservation was moved into the new listing's set (refs cap %d)", cap(b.Keys.Refs))
	}
}

// Moving into new room keeps what a snapshot taken before it reads, and room smaller than what
// the set has grown to is left alone.
func TestAdoptKeepsSnapshotsAndNeverShrinks(t *testing.T) {
	s := newKeySet()
	for _, k := range []string{"a", "b", "c"} {
		s.Add(k)
	}
	snap := s.Snapshot()
	s.adopt(makeKeyRoom(1000))
	if cap(s.Refs) < 1000 || len(s.Dedup.Slots) < keyIndexSlots(1000) {
		t.Fatalf("room not taken: cap %d, %d slots", cap(s.Refs), len(s.Dedup.Slots))
	}
	s.Add("d")
	if snap.At(0) != "a" || snap.At(2) != "c" || len(snap.Refs) != 3 {
		t.Fatal("a snapshot taken before the move changed")
	}
	refs, slots := cap(s.Refs), len(s.Dedup.Slots)
	s.adopt(makeKeyRoom(10))
	if cap(s.Refs) != refs || len(s.Dedup.Slots) != slots || s.Len() != 4 || !s.Has("a") || !s.Has("d") {
		t.Fatalf("smaller room changed the set: cap %d→%d, slots %d→%d", refs, cap(s.Refs), slots, len(s.Dedup.Slots))
	}
}
