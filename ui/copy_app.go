package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/copyto"
)

// onCopyMarks opens the copy screen over the key list for the browser's marks.
func (a *App) onCopyMarks(msg common.CopyMarksMsg) tea.Cmd {
	if a.copy != nil {
		return nil
	}
	a.copy = copyto.New(a.c, a.life.opener, a.state.Profile, msg.Selection, msg.Count)
	a.layout()
	return a.copy.Init()
}

// copyKey gives a key to the copy screen and drops the screen once it is closed.
func (a *App) copyKey(msg tea.KeyPressMsg) tea.Cmd {
	cmd := a.copy.Update(msg)
	if a.copy.Closed() {
		a.copy = nil
	}
	a.layout()
	return cmd
}

// closeCopy ends the copy screen (a profile switch): its target session is closed.
func (a *App) closeCopy() tea.Cmd {
	if a.copy == nil {
		return nil
	}
	cmd := a.copy.Close()
	a.copy = nil
	return cmd
}
