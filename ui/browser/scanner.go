package browser

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"context"
	"strings"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Scanner drives one background SCAN: one request in flight at a time, each page arriving as a
// ScanPageMsg, continuing until the cursor comes back empty, the load target is reached, or the
// user pauses. It never restarts to load more: "load more" raises the target and carries on
// from the saved cursor.
type Scanner struct {
	Gen      uint64
	Match    string
	Typ      string
	Count    int64
	Cursor   string // opaque; "" before the first page
	started  bool   // at least one page arrived
	Done     bool   // the cursor came back empty: every key was seen
	Paused   bool
	InFlight bool
	hinted   int64 // the sum of the COUNTs of the steps taken: the server's hint of keys examined
	Target   int   // stop once this many keys are loaded; <= 0 means no limit
	Err      error
	Ahead    *scanAhead // the batches after the last page, being read (see scanAhead)
}

// scanAhead reads batches in the background while Update stores the pages before them, so
// the chain of SCAN round trips never waits for Update or for the Cmd that asks for the next
// page. The Cmd that delivers a page starts it from that page's cursor; it runs up to
// aheadPages batches ahead of the pages taken, stops at the end of the scan, at an error, or
// where the load target would stop the scan, and gives up when no page is taken for a whole
// call timeout (paused, or the scan was abandoned). Only data crosses over: each page carries
// the handle, Update keeps it in the scanner, and next() takes the following page from it
// when it starts at the scanner's cursor; otherwise (restart, new generation) it is dropped.
//
// Lifting the load target (M, tree mode) reaches a running reader through lifted: it reads on
// to the end of the scan, with the larger COUNT of a load of every key, instead of walking
// the rest of the old target at the paging COUNT first.
type scanAhead struct {
	Ch     chan ScanPageMsg // pages in cursor order; closed when the reader stops
	lifted atomic.Int64     // > 0: the target was lifted; the COUNT of the steps from now on
}

// lift tells a running reader (nil: none) that every key is to be loaded, COUNT count a step.
func (a *scanAhead) lift(count int64) {
	if a != nil {
		a.lifted.Store(count)
	}
}

// aheadPages is how far the reader may run ahead of Update. An Update that stalls (the load of
// every key reserving room for millions, a collection) would otherwise stop the reader, and
// with it the server, after two pages; sixteen pages of 5,000 keys are about 4 MB.
const aheadPages = 16

// ScanPageMsg is the result of one or more SCAN steps (see scanBatch).
type ScanPageMsg struct {
	Gen   uint64
	Keys  []string
	Next  string
	steps int   // SCAN calls that succeeded
	hint  int64 // their COUNTs, summed
	err   error
	from  string     // the cursor the batch started at
	Ahead *scanAhead // the batches after this one, being read; nil when none was started
}

// DBSizeMsg is a DBSIZE reply.
type DBSizeMsg struct {
	gen uint64
	n   int64
	err error
}

// ExistsMsg answers an exact-key jump.
type ExistsMsg struct {
	gen uint64
	key string
	ok  bool
	err error
}

// hasGlob reports whether a SCAN pattern contains glob syntax; a pattern without any is an
// exact key name and is looked up with EXISTS instead of scanned.
func hasGlob(p string) bool { return strings.ContainsAny(p, `*?[\`) }

// next returns the Cmd for the next page, or nil when the scan should not continue now.
func (s *Scanner) next(c *common.Common, loaded int) tea.Cmd {
	if s.Paused || s.Done || s.InFlight || s.Err != nil || (s.Target > 0 && loaded >= s.Target) {
		return nil
	}
	s.InFlight = true
	st, gen, cursor, match, count, typ := c.Store, s.Gen, s.Cursor, s.Match, s.stepCount(), s.Typ
	limit := ScanBatchKeys
	if cursor == "" {
		// The first page of a scan is what the screen waits for: it goes up with the first
		// step that finds keys instead of a batch's worth (two steps of COUNT 1000, 5–10 ms
		// on a 2-core VM as the program starts); the reader ahead fetches the batches after it.
		limit = 1
	}
	room := -1 // keys the target still allows; -1: no target
	if s.Target > 0 {
		room = s.Target - loaded
		limit = min(limit, room)
	}
	ahead := s.Ahead
	s.Ahead = nil
	readAhead, parent, timeout := !c.NoScanAhead, c.Ctx, c.Timeout
	return c.IO(func(ctx context.Context) tea.Msg {
		var msg ScanPageMsg
		ok := false
		if ahead != nil {
			select {
			case msg, ok = <-ahead.Ch:
			case <-ctx.Done():
				return ScanPageMsg{Gen: gen, Next: cursor, err: ctx.Err()}
			}
			if ok && msg.from != cursor {
				ok = false // read from another cursor: not this page
			}
		}
		if !ok {
			ahead = nil
			msg = scanBatch(ctx, st, cursor, match, count, typ, limit, gen)
			// Read the following batches while Update stores this one, unless the scan ends
			// here or the load target would stop before a whole batch more.
			if readAhead && msg.err == nil && msg.Next != "" {
				left := room
				if left >= 0 {
					left -= len(msg.Keys)
				}
				ahead = startAhead(parent, timeout, st, msg.Next, match, count, typ, gen, left)
			}
		}
		msg.Ahead = ahead
		return msg
	})
}

// loadAllFactor multiplies COUNT while every key is being loaded (M, tree mode). A walk of the
// whole keyspace is a chain of dependent round trips, and at COUNT 1000 the client's share of
// each step (reply transfer, parsing, the next write) is a third of the server's: 5,000 a step
// cuts the steps fivefold, a million keys load in about four fifths of the time, and a step
// still costs the server a few milliseconds (2.6 ms here at 5,000; one peer loads all at
// 50,000). Paging (the first keys, "m") keeps the configured COUNT, so a smaller scan.count
// makes the whole walk gentler too.
const loadAllFactor = 5

// LoadAll lifts the load target: every key is to be loaded, by this scanner's next steps and
// by a reader already running ahead of them.
func (s *Scanner) LoadAll() {
	s.Target = 0
	s.Ahead.lift(s.stepCount())
}

// stepCount is the COUNT of the next step.
func (s *Scanner) stepCount() int64 {
	if s.Target <= 0 && s.Count > 0 {
		return s.Count * loadAllFactor
	}
	return s.Count
}

// startAhead starts the background reader at cursor; room is how many keys the load target
// still allows (-1: no target).
func startAhead(parent context.Context, timeout time.Duration, st common.KeyScanner, cursor, match string, count int64, typ string, gen uint64, room int) *scanAhead {
	if room >= 0 && room < ScanBatchKeys {
		return nil
	}
	a := &scanAhead{Ch: make(chan ScanPageMsg, aheadPages)}
	go func() {
		defer close(a.Ch)
		idle := time.NewTimer(timeout)
		defer idle.Stop()
		for room < 0 || room >= ScanBatchKeys || a.lifted.Load() > 0 {
			if c := a.lifted.Load(); c > 0 {
				count, room = c, -1
			}
			ctx, cancel := context.WithTimeout(parent, timeout)
			msg := scanBatch(ctx, st, cursor, match, count, typ, ScanBatchKeys, gen)
			cancel()
			idle.Reset(timeout)
			select {
			case a.Ch <- msg:
			case <-idle.C:
				return // no page taken for a whole timeout: paused or abandoned
			case <-parent.Done():
				return
			}
			if msg.err != nil || msg.Next == "" {
				return
			}
			if room >= 0 {
				room -= len(msg.Keys)
			}
			cursor = msg.Next
		}
	}()
	return a
}

// A page message costs an Update and a redraw, which at a small COUNT (10 keys a SCAN step)
// dominated the scan: one Cmd therefore runs SCAN steps back to back until it has a batch of
// keys or its time budget is spent, and reports them as one message. Each Store.Scan call is
// still one SCAN step, so pausing, load-more targets and cursors work exactly as before.
const (
	ScanBatchKeys   = 2000
	scanBatchBudget = 25 * time.Millisecond
)

func scanBatch(ctx context.Context, st common.KeyScanner, cursor, match string, count int64, typ string, limit int, gen uint64) ScanPageMsg {
	start := time.Now()
	msg := ScanPageMsg{Gen: gen, Next: cursor, from: cursor}
	for {
		keys, next, err := st.Scan(ctx, msg.Next, match, count, typ)
		if err != nil {
			// Keys from earlier steps are kept with the error; a retry resumes at this step.
			msg.err = err
			return msg
		}
		msg.steps++
		msg.hint += max(count, 10) // no COUNT: the server's 10
		if msg.Keys == nil {
			msg.Keys = keys // a step's keys are its own (a load of every key: one step a batch)
		} else {
			msg.Keys = append(msg.Keys, keys...)
		}
		msg.Next = next
		if next == "" || len(msg.Keys) >= limit || time.Since(start) >= scanBatchBudget {
			return msg
		}
	}
}

// onPage records a page; the caller stores the keys and asks next() again.
func (s *Scanner) onPage(msg ScanPageMsg) {
	s.InFlight = false
	s.Ahead = msg.Ahead
	if s.Target <= 0 {
		// A reader started by a Cmd in flight when the target was lifted has not heard yet.
		s.Ahead.lift(s.stepCount())
	}
	if msg.steps > 0 {
		s.hinted += msg.hint
		s.started = true
		s.Cursor = msg.Next
		s.Done = msg.Next == "" && msg.err == nil
	}
	s.Err = msg.err
}

// scanning reports whether pages are still expected without user action.
func (s *Scanner) scanning(loaded int) bool {
	return !s.Done && !s.Paused && s.Err == nil && (s.Target <= 0 || loaded < s.Target || s.InFlight)
}

func dbSizeCmd(c *common.Common, gen uint64) tea.Cmd {
	st := c.Store
	return c.IO(func(ctx context.Context) tea.Msg {
		n, err := st.DBSize(ctx)
		return DBSizeMsg{gen: gen, n: n, err: err}
	})
}

func existsCmd(c *common.Common, gen uint64, key string) tea.Cmd {
	st := c.Store
	return c.IO(func(ctx context.Context) tea.Msg {
		ok, err := st.Exists(ctx, key)
		return ExistsMsg{gen: gen, key: key, ok: ok, err: err}
	})
}
