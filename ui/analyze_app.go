package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	engine "github.com/amr-tui/amr-tui/analyze"
)

// startAnalysis runs `:analyze [full|sample] [pattern] [type]`. Without arguments it shows the
// analysis already made (or running), and starts a sample when there is none.
func (a *App) startAnalysis(args []string) tea.Cmd {
	if len(args) == 0 && (a.analyze.Report != nil || a.analyze.Running()) {
		return nil
	}
	var o engine.Options
	if len(args) > 0 {
		switch strings.ToLower(args[0]) {
		case "full":
			o.Mode, args = engine.Full, args[1:]
		case "sample":
			args = args[1:]
		}
	}
	if len(args) > 0 {
		o.Match = args[0]
	}
	if len(args) > 1 {
		o.Type = args[1]
	}
	return a.analyze.Start(o)
}
