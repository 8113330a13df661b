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
		return l.form.paste(text)
	case l.opening != nil:
		return nil
	case l.picker != nil && l.picker.confirm == "":
		p := l.picker
		before := p.query.Value()
		var cmd tea.Cmd
		p.query, cmd = p.query.Update(tea.PasteMsg{Content: text})
		if p.query.Value() != before {
			p.cursor = 0
			p.refilter()
		}
		return cmd
	}
	return nil
}

// paste inserts text into the focused free-text field; a choice field takes no paste.
func (f *profileForm) paste(text string) tea.Cmd {
	if f.loading || f.busy != "" || len(f.fields) == 0 {
		return nil
	}
	in, ok := f.inputs[f.fields[f.focus].Key]
	if !ok {
		return nil
	}
	var cmd tea.Cmd
	*in, cmd = in.Update(tea.PasteMsg{Content: text})
	return cmd
}
