package common

import (
	"strings"
	"time"

	"github.com/amr-tui/amr-tui/bulk"
)

// ProgressLine is a bulk run's progress as the browser and the copy screen show it: a bar of
// barWidth cells and done/total when the total is known, keys/s, and paused or the ETA.
func ProgressLine(p bulk.Progress, barWidth int) string {
	var sb strings.Builder
	if p.Total > 0 {
		f := min(1, float64(p.Done)/float64(p.Total))
		n := int(f * float64(barWidth))
		sb.WriteString("[" + strings.Repeat("#", n) + strings.Repeat("·", barWidth-n) + "] ")
		sb.WriteString(Count(p.Done) + "/" + Count(p.Total))
	} else {
		sb.WriteString(Count(p.Done))
	}
	sb.WriteString(" keys · " + Count(int64(p.Rate)) + " keys/s")
	switch {
	case p.Paused:
		sb.WriteString(" · paused (p resumes)")
	case p.ETA > 0:
		sb.WriteString(" · ETA " + ShortDuration(p.ETA.Round(time.Second)))
	}
	return sb.String()
}

// ToggleOrCancel handles a running bulk job's keys: p pauses or resumes, esc or ctrl+c cancels
// (reported true, so the caller can say the cancel waits for the batch in flight).
func ToggleOrCancel(ctl *bulk.Control, key string) (cancelled bool) {
	switch key {
	case "p":
		if ctl.Progress().Paused {
			ctl.Resume()
		} else {
			ctl.Pause()
		}
	case "esc", "ctrl+c":
		ctl.Cancel()
		return true
	}
	return false
}
