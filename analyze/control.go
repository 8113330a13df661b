package analyze

import (
	"context"
	"sync"
	"time"
)

// control pauses and resumes every goroutine of a run between batches.
type control struct {
	mu        sync.Mutex
	paused    bool
	resume    chan struct{} // closed when a pause ends
	pausedAt  time.Time
	pausedFor time.Duration
}

func newControl() *control { return &control{resume: make(chan struct{})} }

func (c *control) pause() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.paused {
		c.paused, c.pausedAt, c.resume = true, time.Now(), make(chan struct{})
	}
}

func (c *control) unpause() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.paused {
		c.paused = false
		c.pausedFor += time.Since(c.pausedAt)
		close(c.resume)
	}
}

// state reports whether the run is paused and how long it has been paused in all.
func (c *control) state() (bool, time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d := c.pausedFor
	if c.paused {
		d += time.Since(c.pausedAt)
	}
	return c.paused, d
}

// wait returns at once unless the run is paused; then when it is resumed or ctx ends.
func (c *control) wait(ctx context.Context) error {
	for {
		c.mu.Lock()
		paused, ch := c.paused, c.resume
		c.mu.Unlock()
		if !paused {
			return ctx.Err()
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
