package ui

import (
	"context"
	"errors"
	"io"
	"os"
	"runtime/debug"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// gcPercent is the TUI's GOGC unless the environment sets one; startupGCPercent holds until
// start-up is over (see Options.startupOver).
const (
	gcPercent        = 50
	startupGCPercent = 400
)

// Run shows App full-screen until the user quits or ctx is done (which is not an error). in
// and out default to the process's terminal when nil. It keeps Bubble Tea out of main: ui is
// the only package that imports Charm libraries.
func Run(ctx context.Context, o Options, in io.Reader, out io.Writer) error {
	if o.Context == nil {
		o.Context = ctx
	}
	if os.Getenv("GOGC") == "" {
		// Until the first keys show, the heap is a few MB of start-up garbage (the terminal's
		// buffers, the input reader's tables, the session, the first SCAN replies), and at
		// GOGC 50 its 2 MB floor ran five collections in the 25 ms before the first keys (gctrace);
		// at 400 the first page lands 8 ms sooner (median of 10 launches, 1M keys). Lowered at
		// the first page, the collections came back at once: one started there and the first
		// page's store took 7–13 ms of mark assists instead of 1, four more followed within
		// 40 ms. So 400 holds until the scan has loaded browser.SettledKeys keys (a heap of a
		// few MB more) or stopped.
		debug.SetGCPercent(startupGCPercent)
		// From the end of start-up on, collect at 1.5× the live heap instead of 2×: nearly all of it
		// is the key set's pointer-free chunks, references and index, which cost a collection
		// almost nothing to mark, so the peak memory of a big load drops (1M keys: 133 → 118
		// MiB VmHWM) for little CPU (bench/scale.sh, BENCHMARKS.md "Scale").
		o.startupOver = func() { debug.SetGCPercent(gcPercent) }
	}
	opts := []tea.ProgramOption{tea.WithContext(ctx)}
	if in != nil {
		opts = append(opts, tea.WithInput(in))
	}
	if out != nil {
		opts = append(opts, tea.WithOutput(out))
	}
	env := os.Environ()
	var (
		profile    colorprofile.Profile
		refine     bool
		undoSplash func()
	)
	if o.Splash != nil { // the terminal was looked at when the splash was painted
		profile, refine, undoSplash = o.Splash.profile, o.Splash.refine, o.Splash.take()
	} else {
		profile, refine = fastColorProfile(outputFor(out), env)
		undoSplash = splash(outputFor(out), profile, o.OpenProfile)
	}
	opts = append(opts, tea.WithColorProfile(profile))
	var early *earlyOpen
	if o.Store == nil {
		early = beginEarlyOpen(o.Context, o.Opener, o.OpenProfile)
	}
	app := New(o)
	app.life.early = early
	prog := tea.NewProgram(app, opts...)
	if refine {
		go tmuxColorProfile(prog, profile, env)
	}
	_, err := prog.Run()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		undoSplash() // Bubble Tea failed before it took the screen over (no terminal size…)
	}
	// The UI owns the sessions it opened: end the one in use and any still opening.
	app.life.shutdown()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	return err
}
