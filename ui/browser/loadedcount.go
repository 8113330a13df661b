package browser

import "time"

// countEvery is how often the status line's count of loaded keys changes while every key
// loads (M, tree mode). Pages arrive hundreds of times a second then, and a frame that differs
// from the last costs the renderer a pass over the whole screen and the terminal a redraw:
// about a fifth of a core at 60 frames a second, taken from the scan and from redis-server on
// a 2-core machine. Ten changes a second still reads as a running count.
const countEvery = 100 * time.Millisecond

// loadedCount is the count of loaded keys the status line shows during a load of every key.
type loadedCount struct {
	n  int
	at time.Time
}

// page records the count after a page, at most once every countEvery.
func (l *loadedCount) page(now time.Time, n int) {
	if l.at.IsZero() || now.Sub(l.at) >= countEvery || now.Before(l.at) {
		l.n, l.at = n, now
	}
}

// loadedShown is the count of loaded keys the status line shows: the exact count, except while
// a load of every key is running, when it is the one recorded at most countEvery ago.
func (b *Model) loadedShown() int64 {
	if b.Scan.Target <= 0 && b.Scan.scanning(b.Keys.Len()) && b.counted.n <= b.Keys.Len() {
		return int64(b.counted.n)
	}
	return int64(b.Keys.Len())
}
