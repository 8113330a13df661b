package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/profilepicker"

	"context"
	"slices"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// openForm opens the add form (name "") or the edit form of a saved profile.
func (a *App) openForm(name string) tea.Cmd {
	ed := a.life.editor
	if ed == nil {
		a.c.Flash("this build cannot edit profiles; use `amr-tui profiles add|edit`", common.FlashWarn)
		return nil
	}
	f := &profilepicker.Form{Original: name, Inputs: map[string]*textinput.Model{}, Values: map[string]string{}, Saved: map[string]string{}}
	a.life.form = f
	if name == "" {
		f.SetFields(a.c, ed.FormFields(""))
		return nil
	}
	f.Loading = true
	return a.c.IO(func(ctx context.Context) tea.Msg {
		v, err := ed.LoadProfile(ctx, name)
		return profilepicker.ProfileLoadedMsg{Name: name, Values: v, Err: err}
	})
}

func (a *App) onProfileLoaded(msg profilepicker.ProfileLoadedMsg) tea.Cmd {
	f := a.life.form
	if f == nil || f.Original != msg.Name || !f.Loading {
		return nil
	}
	f.Loading = false
	if msg.Err != nil {
		a.life.form = nil
		if a.life.picker != nil {
			a.life.picker.Failure = &profilepicker.OpenFailure{Profile: msg.Name, Text: msg.Err.Error()}
		}
		return nil
	}
	fields := a.life.editor.FormFields(msg.Values[profilepicker.FormKindKey])
	for _, fd := range fields {
		v := msg.Values[fd.Key]
		if fd.Secret {
			// The form never holds a saved secret, only shows where it lives.
			f.Saved[fd.Key] = v
			continue
		}
		f.Values[fd.Key] = v
	}
	f.SetFields(a.c, fields)
	return nil
}

func (a *App) onProfileSaved(msg profilepicker.ProfileSavedMsg) tea.Cmd {
	l := a.life
	if msg.Deleted {
		if l.picker != nil {
			l.picker.Busy = ""
			if msg.Err != nil {
				l.picker.Failure = &profilepicker.OpenFailure{Profile: msg.Name, Text: "delete failed: " + msg.Err.Error()}
				return nil
			}
		}
		if msg.Err == nil {
			a.c.Flash("deleted profile "+common.Printable(msg.Name), common.FlashInfo)
		}
		return a.loadProfiles()
	}
	f := l.form
	if f == nil || f != msg.Form {
		// The form that asked was left while it saved: report the outcome, and keep the
		// form opened since, with what is typed in it.
		if msg.Err != nil {
			a.c.Flash("profile "+common.Printable(msg.Name)+" not saved: "+msg.Err.Error(), common.FlashError)
			return nil
		}
		a.c.Flash("saved profile "+common.Printable(msg.Name), common.FlashInfo)
		return a.loadProfiles()
	}
	f.Busy = ""
	if msg.Err != nil {
		f.Err = msg.Err.Error()
		return nil
	}
	l.form = nil
	verb := "added"
	if f.Original != "" {
		verb = "saved"
	}
	note := ""
	if msg.Name == a.state.Profile || f.Original == a.state.Profile && f.Original != "" {
		note = "; open it again (P) to use the change"
	}
	a.c.Flash(verb+" profile "+common.Printable(msg.Name)+note, common.FlashInfo)
	if l.picker == nil {
		l.picker = profilepicker.NewPicker(a.c)
	}
	return a.loadProfiles()
}

// formKey handles a key while the form is up.
func (a *App) formKey(msg tea.KeyPressMsg) tea.Cmd {
	l := a.life
	f := l.form
	if msg.String() == "esc" {
		l.form = nil
		return nil
	}
	if f.Loading || f.Busy != "" || len(f.Fields) == 0 {
		return nil
	}
	fd := f.Fields[f.Focus]
	move := func(d int) {
		f.Focus = (f.Focus + d + len(f.Fields)) % len(f.Fields)
		f.Refocus()
	}
	switch msg.String() {
	case "up", "shift+tab":
		move(-1)
		return nil
	case "down", "tab":
		move(1)
		return nil
	case "ctrl+s":
		return a.saveForm()
	case "enter":
		if f.Focus == len(f.Fields)-1 {
			return a.saveForm()
		}
		move(1)
		return nil
	}
	if len(fd.Choices) > 0 {
		d := 0
		switch msg.String() {
		case "left", "h":
			d = -1
		case "right", "l", "space":
			d = 1
		}
		if d != 0 {
			i := slices.Index(fd.Choices, f.Values[fd.Key])
			f.Values[fd.Key] = fd.Choices[(i+d+len(fd.Choices))%len(fd.Choices)]
			if fd.Key == profilepicker.FormKindKey {
				f.SetFields(a.c, l.editor.FormFields(f.Values[fd.Key]))
			}
		}
		return nil
	}
	in := f.Inputs[fd.Key]
	var cmd tea.Cmd
	*in, cmd = in.Update(msg)
	return cmd
}

// saveForm hands the values to the editor in a Cmd; its validation errors come back as they are.
func (a *App) saveForm() tea.Cmd {
	f := a.life.form
	values := f.Collect()
	name := values["name"]
	if name == "" {
		name = f.Original
	}
	f.Busy, f.Err = "saving…", ""
	ed, original := a.life.editor, f.Original
	return a.c.IO(func(ctx context.Context) tea.Msg {
		return profilepicker.ProfileSavedMsg{Name: name, Err: ed.SaveProfile(ctx, original, values), Form: f}
	})
}
