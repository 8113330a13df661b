package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// overlayPaste gives a paste to the overlay that takes the keys: the focused field of the
// profile form, or the picker's filter. It never reaches the screen behind: on the console a
// pasted client secret ending in a newline would run as a command, be echoed and be saved in
// the history file in plain text.
func (a *App) overlayPaste(msg tea.PasteMsg) tea.Cmd {
	l := a.life
	// The line break copied along with a value is not part of it.
	text := strings.TrimRight(msg.Content, "\r\n")
	switch {
	case l.form != nil:
		return l.form.Paste(text)
	case l.opening != nil:
		return nil
	case l.picker != nil && l.picker.Confirm == "":
		p := l.picker
		before := p.Query.Value()
		var cmd tea.Cmd
		p.Query, cmd = p.Query.Update(tea.PasteMsg{Content: text})
		if p.Query.Value() != before {
			p.Cursor = 0
			p.Refilter()
		}
		return cmd
	}
	return nil
}
