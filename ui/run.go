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
	opts := []tea.ProgramOption{tea.WithContext(ctx)}
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
