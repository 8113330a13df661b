package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/console"

	tea "charm.land/bubbletea/v2"
)

// openConsole shows the console screen (:console).
func (a *App) openConsole() tea.Cmd {
	a.screen = screenConsole
	a.layout()
	return a.console.Enter(a.state)
}

// consoleKey gives a key to the console, which takes every key but these actions.
func (a *App) consoleKey(msg tea.KeyPressMsg) tea.Cmd {
	a.console.Profile = a.state.Profile
	cmd, act := a.console.Key(msg)
	switch act {
	case console.ActBack:
		a.screen = screenKeys
		a.layout()
		return common.Batch(cmd, a.browser.MetaCmd())
	case console.ActCommand:
		a.prompt = common.NewLineInput(a.c, common.InputCommand, ":", "")
		a.layout()
	case console.ActQuit:
		return tea.Quit
	}
	return cmd
}

// onPaste gives pasted text to the console: each complete line runs in turn, as if typed and
// entered, and the rest is left on the prompt. Elsewhere paste is ignored.
func (a *App) onPaste(msg tea.PasteMsg) tea.Cmd {
	if a.screen != screenConsole || a.prompt != nil {
		return nil
	}
	return a.console.Paste(msg.Content)
}
