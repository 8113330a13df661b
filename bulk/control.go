package bulk

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Control steers a running operation from another goroutine: pause, resume, cancel, and a
// rate cap in keys per second. Every operation checks it between batches only, so a batch
// that was sent is always finished and counted. The zero value is not usable: use NewControl.
// A nil *Control is allowed wherever one is taken and means "no control".
type Control struct {
	mu      sync.Mutex
	paused  bool
	resumed chan struct{} // closed by Resume; replaced by Pause
	stop    chan struct{} // closed by Cancel
	stopped bool
	limiter *rate.Limiter

	total     atomic.Int64 // expected keys (from a preview), 0 when unknown
	done      atomic.Int64
	scanned   atomic.Int64
	start     time.Time
	pausedFor time.Duration
	pausedAt  time.Time
}

// NewControl returns a Control with a rate cap of keysPerSecond (0: no cap).
func NewControl(keysPerSecond float64) *Control {
	c := &Control{stop: make(chan struct{}), resumed: make(chan struct{}), start: time.Now()}
	close(c.resumed)
	c.SetRate(keysPerSecond)
	return c
}

// SetRate changes the rate cap (0: no cap).
func (c *Control) SetRate(keysPerSecond float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if keysPerSecond <= 0 {
		c.limiter = nil
		return
	}
	c.limiter = rate.NewLimiter(rate.Limit(keysPerSecond), max(1, int(keysPerSecond)))
}

// Pause stops the operation before its next batch.
func (c *Control) Pause() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.paused && !c.stopped {
		c.paused, c.pausedAt = true, time.Now()
		c.resumed = make(chan struct{})
	}
}

// Resume lets a paused operation go on.
func (c *Control) Resume() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.paused {
		c.paused = false
		c.pausedFor += time.Since(c.pausedAt)
		close(c.resumed)
	}
}

// Cancel stops the operation before its next batch; it returns ErrCancelled with its Report.
func (c *Control) Cancel() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.stopped {
		c.stopped = true
		close(c.stop)
	}
}

// SetTotal records how many keys the operation is expected to handle (a preview's count), for
// the progress's ETA.
func (c *Control) SetTotal(n int64) {
	if c != nil {
		c.total.Store(n)
	}
}

// Progress is a snapshot of a running operation.
type Progress struct {
	Done    int64         // keys handled (written, deleted, exported, skipped or failed)
	Scanned int64         // keys the selection has produced so far
	Total   int64         // expected keys; 0 when unknown
	Rate    float64       // keys per second since the start, pauses left out
	ETA     time.Duration // 0 when unknown
	Paused  bool
	Elapsed time.Duration
}

// Progress returns the operation's progress now.
func (c *Control) Progress() Progress {
	c.mu.Lock()
	paused, pausedFor := c.paused, c.pausedFor
	if paused {
		pausedFor += time.Since(c.pausedAt)
	}
	c.mu.Unlock()
	p := Progress{Done: c.done.Load(), Scanned: c.scanned.Load(), Total: c.total.Load(), Paused: paused}
	p.Elapsed = time.Since(c.start)
	if active := (p.Elapsed - pausedFor).Seconds(); active > 0 {
		p.Rate = float64(p.Done) / active
	}
	if p.Rate > 0 && p.Total > p.Done {
		p.ETA = time.Duration(float64(p.Total-p.Done) / p.Rate * float64(time.Second))
	}
	return p
}

// wait is called before each batch of n keys: it blocks while paused, takes n keys from the
// rate cap, and returns ErrCancelled after Cancel or ctx's error when ctx ends.
func (c *Control) wait(ctx context.Context, n int) error {
	if c == nil {
		return ctx.Err()
	}
	c.mu.Lock()
	resumed, lim := c.resumed, c.limiter
	c.mu.Unlock()
	select {
	case <-c.stop:
		return ErrCancelled
	case <-ctx.Done():
		return ctx.Err()
	case <-resumed:
	}
	select { // a Cancel while paused wins over the Resume that may follow it
	case <-c.stop:
		return ErrCancelled
	default:
	}
	// A reservation larger than the burst is refused; take the batch in burst-sized pieces.
	for lim != nil && n > 0 {
		k := min(n, lim.Burst())
		if err := c.waitTokens(ctx, lim, k); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

func (c *Control) waitTokens(ctx context.Context, lim *rate.Limiter, k int) error {
	r := lim.ReserveN(time.Now(), k)
	if !r.OK() {
		return nil
	}
	t := time.NewTimer(r.Delay())
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-c.stop:
		r.Cancel()
		return ErrCancelled
	case <-ctx.Done():
		r.Cancel()
		return ctx.Err()
	}
}

func (c *Control) addDone(n int) {
	if c != nil {
		c.done.Add(int64(n))
	}
}

func (c *Control) addScanned(n int) {
	if c != nil {
		c.scanned.Add(int64(n))
	}
}

// batchSize is the largest batch a capped operation sends at once, so that a low cap still
// moves smoothly.
func (c *Control) batchSize(def int) int {
	if c == nil {
		return def
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.limiter != nil {
		return max(1, min(def, c.limiter.Burst()/4))
	}
	return def
}
