package ui

import (
	"io"

	"github.com/charmbracelet/colorprofile"

	"github.com/amr-tui/amr-tui/ui/common"
)

// Bubble Tea writes nothing before its renderer's first tick, a whole frame interval after
// Run starts, and the program's start-up (package init, the profiles file, the first model)
// comes before that: together 40–60 ms on a loaded machine before anything shows. The splash
// is one line written straight to the terminal as Run begins, as k9s shows its logo; Bubble
// Tea's first frame replaces it.

const (
	enterAltScreen = "\x1b[?1049h"
	leaveAltScreen = "\x1b[?1049l"
	homeAndClear   = "\x1b[H\x1b[2J"
)

// splash paints the first line on a terminal (nothing when out is not one) and returns what
// undoes it if Bubble Tea never takes the screen over.
func splash(out io.Writer, profile colorprofile.Profile, opening string) (undo func()) {
	if profile == colorprofile.NoTTY {
		return func() {}
	}
	line := "amr-tui"
	if opening != "" {
		line += " · opening " + common.Printable(opening) + "…"
	}
	if _, err := io.WriteString(out, enterAltScreen+homeAndClear+line); err != nil {
		return func() {}
	}
	return func() { _, _ = io.WriteString(out, leaveAltScreen) }
}
