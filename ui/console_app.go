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

// headerState is the session state the header shows: on the console, the database is the
// console's own (its SELECT), so the header and the console prompt never disagree.
func (a *App) headerState() common.SessionState {
	st := a.state
	if a.screen == screenConsole && a.console.Conn != nil {
		st.DB = a.console.Db
	}
	return st
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
	}
	return cmd
}

// onPaste gives pasted text to the console: each complete line runs in turn, as if typed and
// entered, and the rest is left on the prompt. A prompt open anywhere takes the paste as one line
// (common.LineInput.Paste refuses several lines).
func (a *App) onPaste(msg tea.PasteMsg) tea.Cmd {
	switch {
	case a.prompt != nil:
		return a.prompt.Paste(msg.Content)
	case a.screen == screenKeys && a.copy != nil:
		return a.copy.Paste(msg.Content)
	case a.screen == screenKeys && a.browser.Input != nil:
		cmd := a.browser.Input.Paste(msg.Content)
		if a.browser.Input.Kind == common.InputFilter {
			return common.Batch(cmd, a.browser.FilterChanged())
		}
		return cmd
	case a.screen == screenValue && a.viewer.Input != nil:
		return a.viewer.Input.Paste(msg.Content)
	case a.screen != screenConsole:
		return nil
	}
	return a.console.Paste(msg.Content)
}
