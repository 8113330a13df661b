package ui_test

import (
	"context"
	"fmt"
	"os"

	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/ui"
)

// ExampleNew shows how main wires the UI: a Store and a Session adapted from the live session,
// NO_COLOR from the environment, and a context that cancels in-flight Redis calls on exit.
func ExampleNew() {
	var store ui.Store  // e.g. an adapter over session.Client() (SCAN per primary in a cluster)
	var sess ui.Session // e.g. an adapter turning session.Events() into ui.SessionUpdate
	if store == nil {
		return // this example only compiles
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	app := ui.New(ui.Options{
		Store:   store,
		Session: sess,
		NoColor: ui.NoColorFromEnv(),
		Context: ctx,
	})
	if _, err := tea.NewProgram(app, tea.WithContext(ctx)).Run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
}
