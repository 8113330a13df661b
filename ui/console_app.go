package ui

import tea "charm.land/bubbletea/v2"

// openConsole shows the console screen (:console).
func (a *App) openConsole() tea.Cmd {
	a.screen = screenConsole
	a.layout()
	return a.console.enter(a.state)
}

// consoleKey gives a key to the console, which takes every key but these actions.
func (a *App) consoleKey(msg tea.KeyPressMsg) tea.Cmd {
	a.console.profile = a.state.Profile
	cmd, act := a.console.key(msg)
	switch act {
	case actBack:
		a.screen = screenKeys
		a.layout()
		return batch(cmd, a.browser.metaCmd())
	case actCommand:
		a.prompt = newLineInput(a.c, inputCommand, ":", "")
		a.layout()
	case actQuit:
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
	return a.console.paste(msg.Content)
}
