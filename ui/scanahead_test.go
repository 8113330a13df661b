package ui

import (
	"github.com/amr-tui/amr-tui/ui/browser"

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
	if b.Keys.Len() < 5000 || b.Keys.Len() >= 5000+browser.ScanBatchKeys || b.Scan.Done {
		t.Fatalf("first load: %d keys (done=%v), want the 5000 target and at most one batch more", b.Keys.Len(), b.Scan.Done)
	}
	press(t, a, "M") // the rest, from the saved cursor
	if b.Keys.Len() != total || !b.Scan.Done {
		t.Fatalf("loaded %d of %d keys (done=%v)", b.Keys.Len(), total, b.Scan.Done)
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
	if b.Keys.Len() != 300 || !b.Scan.Done {
		t.Fatalf("SCAN TYPE list loaded %d keys, want 300", b.Keys.Len())
	}
	drain(t, a, a.runCommand("keys k:1*"))
	want := 0
	for i := range n {
		if strings.HasPrefix(strconv.Itoa(i), "1") {
			want++
		}
	}
	if b.Keys.Len() != want || !b.Scan.Done {
		t.Fatalf("SCAN MATCH k:1* loaded %d keys, want %d", b.Keys.Len(), want)
	}
	for i := range b.Keys.Len() {
		if !strings.HasPrefix(b.Keys.At(i), "k:1") {
			t.Fatalf("SCAN MATCH k:1* loaded %q", b.Keys.At(i))
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
	pending := []tea.Cmd{b.Start("a:*", "")}
	var stale tea.Cmd
	for len(pending) > 0 && stale == nil {
		c := pending[0]
		pending = pending[1:]
		switch m := c().(type) {
		case tea.BatchMsg:
			pending = append(pending, m...)
		case browser.ScanPageMsg:
			if m.Ahead == nil {
				t.Fatal("the first page started no read-ahead")
			}
			_, stale = a.Update(m)
		default:
			a.Update(m)
		}
	}
	if stale == nil || b.Keys.Len() == 0 {
		t.Fatalf("after the first page: %d keys, follow-up %v", b.Keys.Len(), stale)
	}
	drain(t, a, a.runCommand("keys b:*"))
	drain(t, a, stale) // the batch read ahead for a:* arrives now, with the old generation
	if b.Keys.Len() != 8000 || !b.Scan.Done {
		t.Fatalf("loaded %d keys, want the 8000 b:* keys", b.Keys.Len())
	}
	for i := range b.Keys.Len() {
		if !strings.HasPrefix(b.Keys.At(i), "b:") {
			t.Fatalf("key %q from the abandoned scan", b.Keys.At(i))
		}
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
	pending := []tea.Cmd{b.Start("*", "")}
	var follow tea.Cmd
	for len(pending) > 0 && follow == nil {
		c := pending[0]
		pending = pending[1:]
		switch m := c().(type) {
		case tea.BatchMsg:
			pending = append(pending, m...)
		case browser.ScanPageMsg:
			_, follow = a.Update(m)
		default:
			a.Update(m)
		}
	}
	press(t, a, "p")
	drain(t, a, follow) // the page in flight arrives; the scan stays paused
	if !b.Scan.Paused || b.Scan.Ahead == nil || b.Scan.Done {
		t.Fatalf("paused %v, reader %v, done %v", b.Scan.Paused, b.Scan.Ahead, b.Scan.Done)
	}
	// The reader fills its buffer, then gives up one timeout later and closes it.
	for range b.Scan.Ahead.Ch { // drains what it read; ends once it has given up
	}
	press(t, a, "p") // resume: the reader is gone, a new one starts from the saved cursor
	if b.Keys.Len() != 20_000 || !b.Scan.Done {
		t.Fatalf("after resuming: %d keys of 20000 (done %v)", b.Keys.Len(), b.Scan.Done)
	}
}
