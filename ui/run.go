package ui

import (
	"context"
	"errors"
	"io"

	tea "charm.land/bubbletea/v2"
)

// Run shows App full-screen until the user quits or ctx is done (which is not an error). in
// and out default to the process's terminal when nil. It keeps Bubble Tea out of main: ui is
// the only package that imports Charm libraries.
func Run(ctx context.Context, o Options, in io.Reader, out io.Writer) error {
	if o.Context == nil {
		o.Context = ctx
	}
	// Signals end the program through ctx (main's NotifyContext) only: Bubble Tea's own SIGTERM
	// handler sends QuitMsg without watching for the program's end, so when ctx is cancelled
	// by the same signal its goroutine can block forever and Run with it (seen ~1 in 4 on a
	// `kill -TERM` of the demo, whose folder then stayed behind).
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithoutSignalHandler()}
	if in != nil {
		opts = append(opts, tea.WithInput(in))
	}
	if out != nil {
		opts = append(opts, tea.WithOutput(out))
	}
	app := New(o)
	_, err := tea.NewProgram(app, opts...).Run()
	// The UI owns the sessions it opened: end the one in use and any still opening.
	app.life.shutdown()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	return err
}
