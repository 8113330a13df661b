package bulkcli

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/amr-tui/amr-tui/bulk"
)

// bar draws a one-line progress bar on a terminal, redrawn five times a second:
//
//	[########··········]  43%  430,000/1,000,000 keys  52,100 keys/s  ETA 11s
//
// Written here rather than taken from a library because it shows the Control's own figures
// (paused, scanned when the total is unknown), and the progress-bar modules at hand bring
// dependencies outside the approved set.
type bar struct {
	w    io.Writer
	ctl  *bulk.Control
	verb string
	stop chan struct{}
	done sync.WaitGroup
}

func startBar(w io.Writer, on bool, ctl *bulk.Control, verb string) *bar {
	b := &bar{w: w, ctl: ctl, verb: verb, stop: make(chan struct{})}
	if !on {
		return b
	}
	b.done.Add(1)
	go func() {
		defer b.done.Done()
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-b.stop:
				fmt.Fprint(b.w, "\r\x1b[K")
				return
			case <-t.C:
				fmt.Fprint(b.w, "\r\x1b[K"+line(b.ctl.Progress(), b.verb))
			}
		}
	}()
	return b
}

// close erases the bar.
func (b *bar) close() {
	select {
	case <-b.stop:
	default:
		close(b.stop)
	}
	b.done.Wait()
}

func line(p bulk.Progress, verb string) string {
	var s strings.Builder
	const width = 20
	if p.Total > 0 {
		f := min(1, float64(p.Done)/float64(p.Total))
		n := int(f * width)
		fmt.Fprintf(&s, "[%s%s] %3.0f%%  %s/%s keys %s", strings.Repeat("#", n), strings.Repeat("·", width-n),
			f*100, group(p.Done), group(p.Total), verb)
	} else {
		fmt.Fprintf(&s, "%s keys %s (%s found)", group(p.Done), verb, group(p.Scanned))
	}
	fmt.Fprintf(&s, "  %s keys/s", group(int64(p.Rate)))
	switch {
	case p.Paused:
		s.WriteString("  paused")
	case p.ETA > 0:
		fmt.Fprintf(&s, "  ETA %s", p.ETA.Round(time.Second))
	}
	return s.String()
}
