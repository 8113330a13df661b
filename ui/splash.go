package ui

import (
	"io"
	"os"

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

// Splash is a splash painted by ShowSplash before the caller's own set-up, which Run takes
// over (Options.Splash) or Undo takes back.
type Splash struct {
	undo    func()
	profile colorprofile.Profile // the terminal's, as fastColorProfile found it: Run reuses it
	refine  bool
}

// ShowSplash paints the splash now, when out (nil: standard output) is a terminal, so that
// what the caller does before Run — reading the profiles file and config.toml, starting the
// demo's servers — happens behind a first frame. opening names the profile about to open; ""
// paints just the program's name. A caller that fails before Run calls Undo, which puts the
// terminal's screen back before the error is printed. Run must be given the same out.
func ShowSplash(out io.Writer, opening string) *Splash {
	profile, refine := fastColorProfile(outputFor(out), os.Environ())
	return &Splash{undo: splash(outputFor(out), profile, opening), profile: profile, refine: refine}
}

// take hands the splash over to Run: Undo does nothing after it.
func (s *Splash) take() func() {
	undo := s.undo
	s.undo = nil
	if undo == nil {
		return func() {}
	}
	return undo
}

// Undo takes the splash back; later calls, calls after Run took it over, and calls on nil do
// nothing.
func (s *Splash) Undo() {
	if s != nil && s.undo != nil {
		s.undo()
		s.undo = nil
	}
}
