package profilepicker

import (
	tea "charm.land/bubbletea/v2"
)

// Paste inserts text into the focused free-text field; a choice field takes no paste.
func (f *Form) Paste(text string) tea.Cmd {
	if f.Loading || f.Busy != "" || len(f.Fields) == 0 {
		return nil
	}
	in, ok := f.Inputs[f.Fields[f.Focus].Key]
	if !ok {
		return nil
	}
	var cmd tea.Cmd
	*in, cmd = in.Update(tea.PasteMsg{Content: text})
	return cmd
}
