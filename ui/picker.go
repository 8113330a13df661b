package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/profilepicker"

	"context"

	tea "charm.land/bubbletea/v2"
)

// pickerKey handles a key while the picker is up.
func (a *App) pickerKey(msg tea.KeyPressMsg) tea.Cmd {
	l := a.life
	p := l.picker
	if p.Confirm != "" {
		switch msg.String() {
		case "y", "Y":
			name := p.Confirm
			p.Confirm, p.Busy = "", "deleting "+name+"…"
			ed := l.editor
			return a.c.IO(func(ctx context.Context) tea.Msg {
				return profilepicker.ProfileSavedMsg{Name: name, Deleted: true, Err: ed.DeleteProfile(ctx, name)}
			})
		case "n", "N", "esc":
			p.Confirm = ""
		}
		return nil
	}
	switch msg.String() {
	case "esc":
		if a.startup() {
			return tea.Quit
		}
		l.picker = nil
		return nil
	case "enter":
		name := p.Selected()
		if name == "" {
			return nil
		}
		p.Failure = nil
		return a.startOpen(name)
	case "up", "ctrl+p", "shift+tab":
		p.Cursor = max(0, p.Cursor-1)
		return nil
	case "down", "ctrl+n", "tab":
		p.Cursor = max(0, min(p.Cursor+1, len(p.Shown)-1))
		return nil
	case "ctrl+a":
		return a.openForm("")
	case "ctrl+e":
		if name := p.Selected(); name != "" {
			return a.openForm(name)
		}
		return nil
	case "ctrl+x":
		if l.editor == nil {
			a.c.Flash("this build cannot delete profiles; use `amr-tui profiles remove NAME`", common.FlashWarn)
			return nil
		}
		if name := p.Selected(); name != "" {
			p.Confirm = name
		}
		return nil
	}
	var cmd tea.Cmd
	before := p.Query.Value()
	p.Query, cmd = p.Query.Update(msg)
	if p.Query.Value() != before {
		p.Cursor = 0
		p.Refilter()
	}
	return cmd
}
