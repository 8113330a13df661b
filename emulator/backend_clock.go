package emulator

import (
	"context"
	"time"

	"github.com/alicebob/miniredis/v2"
)

// ttlTickMin is how often TTLs move at most: PTTL may lag the wall clock by this much.
const ttlTickMin = 100 * time.Millisecond

// ttlTickCost bounds the share of one core the clock may use: it waits at least this many
// times as long as its last walk over the keys took.
const ttlTickCost = 20

// ttlClock advances miniredis's TTLs with the wall clock until m is closed. miniredis's own
// ClockTTL does the same on every command by walking (and sorting) every key, which made each
// command cost O(keys): seeding the demo's 10,000 keys took 30 s instead of under one. Here
// the walk runs on a timer, at most every ttlTickMin and never more than 1/ttlTickCost of a
// core, so a demo with a million keys ticks less often rather than stalling commands.
func ttlClock(m *miniredis.Miniredis, ctx context.Context) {
	last := time.Now()
	t := time.NewTimer(ttlTickMin)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := time.Now()
		m.FastForward(now.Sub(last))
		last = now
		t.Reset(max(ttlTickMin, ttlTickCost*time.Since(now)))
	}
}
