package ui

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/emulator/emutest"
)

// countingStore records every key and cursor its Scan returned, from any goroutine.
type countingStore struct {
	goRedisStore
	mu      sync.Mutex
	seen    map[string]int
	cursors map[string]int // how many SCAN steps started at each cursor ("" = 0)
}

func (s *countingStore) Scan(ctx context.Context, cur, match string, count int64, typ string) ([]string, string, error) {
	keys, next, err := s.goRedisStore.Scan(ctx, cur, match, count, typ)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cursors[cur]++
	for _, k := range keys {
		s.seen[k]++
	}
	return keys, next, err
}

// With the next batch read while Update stores a page (the product's setting), against a
// real redis-server: every key is loaded exactly once, SCAN is never restarted nor any step
// repeated, the load target still stops the scan and "load more" continues from the saved
// cursor with the batch already read, and a TYPE/MATCH scan loads exactly its keys.
func TestScanAheadAgainstRealRedis(t *testing.T) {
	srv := emutest.StartRedisServer(t)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()
	const n = 12_000
	pipe := c.Pipeline()
	for i := range n {
		pipe.Set(ctx, "k:"+strconv.Itoa(i), "v", 0)
	}
	for i := range 300 {
		pipe.RPush(ctx, "list:"+strconv.Itoa(i), "e")
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	total := n + 300

	st := &countingStore{goRedisStore: goRedisStore{c}, seen: map[string]int{}, cursors: map[string]int{}}
	a, _ := testApp(t, st, nil, 120, 30, func(o *Options) {
		o.LoadBatch, o.ScanCount, o.noScanAhead = 5000, 100, false
	})
	start(t, a)
	b := a.browser
	if b.keys.Len() < 5000 || b.keys.Len() >= 5000+scanBatchKeys || b.scan.done {
		t.Fatalf("first load: %d keys (done=%v), want the 5000 target and at most one batch more", b.keys.Len(), b.scan.done)
	}
	press(t, a, "M") // the rest, from the saved cursor
	if b.keys.Len() != total || !b.scan.done {
		t.Fatalf("loaded %d of %d keys (done=%v)", b.keys.Len(), total, b.scan.done)
	}
	st.mu.Lock()
	for k, times := range st.seen {
		if times != 1 {
			t.Errorf("key %q returned by %d SCAN steps", k, times)
		}
	}
	if len(st.seen) != total {
		t.Errorf("SCAN returned %d distinct keys, want %d", len(st.seen), total)
	}
	for cur, times := range st.cursors {
		if times != 1 {
			t.Errorf("SCAN from cursor %q ran %d times", cur, times)
		}
	}
	st.mu.Unlock()

	// TYPE and MATCH scans, with the next batch read ahead as well.
	drain(t, a, a.runCommand("keys * list"))
	if b.keys.Len() != 300 || !b.scan.done {
		t.Fatalf("SCAN TYPE list loaded %d keys, want 300", b.keys.Len())
	}
	drain(t, a, a.runCommand("keys k:1*"))
	want := 0
	for i := range n {
		if strings.HasPrefix(strconv.Itoa(i), "1") {
			want++
		}
	}
	if b.keys.Len() != want || !b.scan.done {
		t.Fatalf("SCAN MATCH k:1* loaded %d keys, want %d", b.keys.Len(), want)
	}
	for i := range b.keys.Len() {
		if !strings.HasPrefix(b.keys.at(i), "k:1") {
			t.Fatalf("SCAN MATCH k:1* loaded %q", b.keys.at(i))
		}
	}
}

// A batch read ahead for an abandoned scan is never applied to the new one.
func TestScanAheadDroppedOnRestart(t *testing.T) {
	srv := emutest.StartRedisServer(t)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()
	pipe := c.Pipeline()
	for i := range 8000 {
		pipe.Set(ctx, "a:"+strconv.Itoa(i), "v", 0)
		pipe.Set(ctx, "b:"+strconv.Itoa(i), "v", 0)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	a, _ := testApp(t, goRedisStore{c}, nil, 120, 30, func(o *Options) { o.ScanCount, o.noScanAhead = 100, false })
	b := a.browser
	// Deliver only the first page of "a:*": its Cmd has started reading the next batch, and
	// the Cmd Update returns for the next page waits on that batch; it runs only after the
	// restart below.
	pending := []tea.Cmd{b.start("a:*", "")}
	var stale tea.Cmd
	for len(pending) > 0 && stale == nil {
		c := pending[0]
		pending = pending[1:]
		switch m := c().(type) {
		case tea.BatchMsg:
			pending = append(pending, m...)
		case scanPageMsg:
			if m.ahead == nil {
				t.Fatal("the first page started no read-ahead")
			}
			_, stale = a.Update(m)
		default:
			a.Update(m)
		}
	}
	if stale == nil || b.keys.Len() == 0 {
		t.Fatalf("after the first page: %d keys, follow-up %v", b.keys.Len(), stale)
	}
	drain(t, a, a.runCommand("keys b:*"))
	drain(t, a, stale) // the batch read ahead for a:* arrives now, with the old generation
	if b.keys.Len() != 8000 || !b.scan.done {
		t.Fatalf("loaded %d keys, want the 8000 b:* keys", b.keys.Len())
	}
	for i := range b.keys.Len() {
		if !strings.HasPrefix(b.keys.at(i), "b:") {
			t.Fatalf("key %q from the abandoned scan", b.keys.at(i))
		}
	}
}

// reserve keeps what is loaded, and de-duplication and order work across it.
func TestKeySetReserve(t *testing.T) {
	s := newKeySet()
	s.add("a")
	s.add("b")
	snap := s.snapshot()
	s.reserve(1000)
	if cap(s.refs) < 1000 || s.Len() != 2 || len(s.dedup.slots) < keyIndexSlots(1000) {
		t.Fatalf("after reserve: len %d cap %d", s.Len(), cap(s.refs))
	}
	if s.add("a") || !s.add("c") || s.add("c") {
		t.Fatal("de-duplication across reserve")
	}
	if s.at(0) != "a" || s.at(1) != "b" || s.at(2) != "c" || !s.has("b") {
		t.Fatalf("keys after reserve: %q %q %q", s.at(0), s.at(1), s.at(2))
	}
	if len(snap.refs) != 2 || snap.at(1) != "b" {
		t.Fatal("a snapshot taken before reserve changed")
	}
	s.reserve(10) // smaller: nothing to do
	if cap(s.refs) < 1000 {
		t.Fatal("reserve shrank the set")
	}
}

// A paused scan's background reader stops after a call timeout without a page taken, and
// the resumed scan continues from the saved cursor, loading every key. (The test takes the
// pages the reader had buffered itself, to wait for it to stop.)
func TestScanAheadPausedReaderGivesUp(t *testing.T) {
	srv := emutest.StartRedisServer(t)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()
	pipe := c.Pipeline()
	for i := range 20_000 {
		pipe.Set(ctx, "k:"+strconv.Itoa(i), "v", 0)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	a, _ := testApp(t, goRedisStore{c}, nil, 120, 30, func(o *Options) {
		o.ScanCount, o.noScanAhead, o.CallTimeout = 100, false, 300*time.Millisecond
	})
	b := a.browser
	pending := []tea.Cmd{b.start("*", "")}
	var follow tea.Cmd
	for len(pending) > 0 && follow == nil {
		c := pending[0]
		pending = pending[1:]
		switch m := c().(type) {
		case tea.BatchMsg:
			pending = append(pending, m...)
		case scanPageMsg:
			_, follow = a.Update(m)
		default:
			a.Update(m)
		}
	}
	press(t, a, "p")
	drain(t, a, follow) // the page in flight arrives; the scan stays paused
	if !b.scan.paused || b.scan.ahead == nil || b.scan.done {
		t.Fatalf("paused %v, reader %v, done %v", b.scan.paused, b.scan.ahead, b.scan.done)
	}
	// The reader fills its buffer, then gives up one timeout later and closes it.
	for range b.scan.ahead.ch { // drains what it read; ends once it has given up
	}
	press(t, a, "p") // resume: the reader is gone, a new one starts from the saved cursor
	if b.keys.Len() != 20_000 || !b.scan.done {
		t.Fatalf("after resuming: %d keys of 20000 (done %v)", b.keys.Len(), b.scan.done)
	}
}
