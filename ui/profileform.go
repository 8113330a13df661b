package ui

import (
	"context"
	"slices"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// formKindKey is the field whose choice decides the rest of the form.
const formKindKey = "auth.kind"

// profileForm adds or edits one profile: the fields the editor lists for the chosen auth kind,
// one line each. Values survive a change of kind, so switching back loses nothing typed.
type profileForm struct {
	original string // the profile edited; "" when adding
	fields   []FormField
	inputs   map[string]*textinput.Model // free-text fields
	values   map[string]string           // choice fields, and the saved values while loading
	saved    map[string]string           // secret references saved in the profile (hints only)
	focus    int
	err      string
	busy     string
	loading  bool
}

// profileLoadedMsg carries a saved profile's form values.
type profileLoadedMsg struct {
	name   string
	values map[string]string
	err    error
}

// profileSavedMsg reports a save (or, with deleted, a delete).
type profileSavedMsg struct {
	name    string
	deleted bool
	err     error
	form    *profileForm // the form that asked; nil for a delete
}

// openForm opens the add form (name "") or the edit form of a saved profile.
func (a *App) openForm(name string) tea.Cmd {
	ed := a.life.editor
	if ed == nil {
		a.c.flash("this build cannot edit profiles; use `amr-tui profiles add|edit`", FlashWarn)
		return nil
	}
	f := &profileForm{original: name, inputs: map[string]*textinput.Model{}, values: map[string]string{}, saved: map[string]string{}}
	a.life.form = f
	if name == "" {
		f.setFields(a.c, ed.FormFields(""))
		return nil
	}
	f.loading = true
	return a.c.io(func(ctx context.Context) tea.Msg {
		v, err := ed.LoadProfile(ctx, name)
		return profileLoadedMsg{name: name, values: v, err: err}
	})
}

func (a *App) onProfileLoaded(msg profileLoadedMsg) tea.Cmd {
	f := a.life.form
	if f == nil || f.original != msg.name || !f.loading {
		return nil
	}
	f.loading = false
	if msg.err != nil {
		a.life.form = nil
		if a.life.picker != nil {
			a.life.picker.failure = &openFailure{profile: msg.name, text: msg.err.Error()}
		}
		return nil
	}
	fields := a.life.editor.FormFields(msg.values[formKindKey])
	for _, fd := range fields {
		v := msg.values[fd.Key]
		if fd.Secret {
			// The form never holds a saved secret, only shows where it lives.
			f.saved[fd.Key] = v
			continue
		}
		f.values[fd.Key] = v
	}
	f.setFields(a.c, fields)
	return nil
}

func (a *App) onProfileSaved(msg profileSavedMsg) tea.Cmd {
	l := a.life
	if msg.deleted {
		if l.picker != nil {
			l.picker.busy = ""
			if msg.err != nil {
				l.picker.failure = &openFailure{profile: msg.name, text: "delete failed: " + msg.err.Error()}
				return nil
			}
		}
		if msg.err == nil {
			a.c.flash("deleted profile "+printable(msg.name), FlashInfo)
		}
		return a.loadProfiles()
	}
	f := l.form
	if f == nil || f != msg.form {
		// The form that asked was left while it saved: report the outcome, and keep the
		// form opened since, with what is typed in it.
		if msg.err != nil {
			a.c.flash("profile "+printable(msg.name)+" not saved: "+msg.err.Error(), FlashError)
			return nil
		}
		a.c.flash("saved profile "+printable(msg.name), FlashInfo)
		return a.loadProfiles()
	}
	f.busy = ""
	if msg.err != nil {
		f.err = msg.err.Error()
		return nil
	}
	l.form = nil
	verb := "added"
	if f.original != "" {
		verb = "saved"
	}
	note := ""
	if msg.name == a.state.Profile || f.original == a.state.Profile && f.original != "" {
		note = "; open it again (P) to use the change"
	}
	a.c.flash(verb+" profile "+printable(msg.name)+note, FlashInfo)
	if l.picker == nil {
		l.picker = newPicker(a.c)
	}
	return a.loadProfiles()
}

// setFields lays the form out for a set of fields, keeping every value typed so far.
func (f *profileForm) setFields(c *Common, fields []FormField) {
	for k, in := range f.inputs {
		f.values[k] = in.Value()
	}
	focused := ""
	if f.focus < len(f.fields) {
		focused = f.fields[f.focus].Key
	}
	f.fields = fields
	f.inputs = map[string]*textinput.Model{}
	lw := f.labelWidth()
	for _, fd := range fields {
		if len(fd.Choices) > 0 {
			if !slices.Contains(fd.Choices, f.values[fd.Key]) {
				f.values[fd.Key] = fd.Choices[0]
			}
			continue
		}
		ti := textinput.New()
		ti.Prompt = ""
		st := ti.Styles()
		st.Cursor.Blink = false
		ti.SetStyles(st)
		if fd.Secret {
			ti.EchoMode = textinput.EchoPassword
			ti.EchoCharacter = '•'
			if ref := f.saved[fd.Key]; ref != "" {
				ti.Placeholder = "empty keeps " + printable(ref)
			}
		}
		// A secret typed before a change of kind comes back masked, like any other value.
		ti.SetValue(f.values[fd.Key])
		ti.SetWidth(max(1, boxInner(boxWidth(c.Width))-lw-5))
		f.inputs[fd.Key] = &ti
	}
	f.focus = 0
	for i, fd := range fields {
		if fd.Key == focused {
			f.focus = i
		}
	}
	f.refocus()
}

func (f *profileForm) labelWidth() int {
	w := 0
	for _, fd := range f.fields {
		w = max(w, widthOf(fd.Label))
	}
	return w
}

func (f *profileForm) refocus() {
	for i, fd := range f.fields {
		if in, ok := f.inputs[fd.Key]; ok {
			if i == f.focus {
				in.Focus()
			} else {
				in.Blur()
			}
		}
	}
}

// collect is the form's values as the editor takes them. Secret fields are included only when
// something was typed: empty keeps the saved reference.
func (f *profileForm) collect() map[string]string {
	out := map[string]string{}
	for _, fd := range f.fields {
		if in, ok := f.inputs[fd.Key]; ok {
			if fd.Secret && in.Value() == "" {
				continue
			}
			out[fd.Key] = in.Value()
		} else {
			out[fd.Key] = f.values[fd.Key]
		}
	}
	return out
}

// formKey handles a key while the form is up.
func (a *App) formKey(msg tea.KeyPressMsg) tea.Cmd {
	l := a.life
	f := l.form
	if msg.String() == "esc" {
		l.form = nil
		return nil
	}
	if f.loading || f.busy != "" || len(f.fields) == 0 {
		return nil
	}
	fd := f.fields[f.focus]
	move := func(d int) {
		f.focus = (f.focus + d + len(f.fields)) % len(f.fields)
		f.refocus()
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
		if f.focus == len(f.fields)-1 {
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
			i := slices.Index(fd.Choices, f.values[fd.Key])
			f.values[fd.Key] = fd.Choices[(i+d+len(fd.Choices))%len(fd.Choices)]
			if fd.Key == formKindKey {
				f.setFields(a.c, l.editor.FormFields(f.values[fd.Key]))
			}
		}
		return nil
	}
	in := f.inputs[fd.Key]
	var cmd tea.Cmd
	*in, cmd = in.Update(msg)
	return cmd
}

// saveForm hands the values to the editor in a Cmd; its validation errors come back as they are.
func (a *App) saveForm() tea.Cmd {
	f := a.life.form
	values := f.collect()
	name := values["name"]
	if name == "" {
		name = f.original
	}
	f.busy, f.err = "saving…", ""
	ed, original := a.life.editor, f.original
	return a.c.io(func(ctx context.Context) tea.Msg {
		return profileSavedMsg{name: name, err: ed.SaveProfile(ctx, original, values), form: f}
	})
}

// view renders the form box.
func (f *profileForm) view(c *Common, w int) []string {
	s := c.Styles
	in := boxInner(boxWidth(w))
	title := "Add a profile"
	if f.original != "" {
		title = "Edit profile " + printable(f.original)
	}
	if f.loading {
		return boxView(c, title, []string{s.Dim.Render("reading the profile…")}, w)
	}
	lw := f.labelWidth()
	var lines []string
	for i, fd := range f.fields {
		label := fit(fd.Label, lw)
		mark := "  "
		if i == f.focus {
			mark = s.Prompt.Render("› ")
			label = s.Header.Render(label)
		} else {
			label = s.Dim.Render(label)
		}
		var val string
		if ti, ok := f.inputs[fd.Key]; ok {
			val = ti.View()
		} else {
			val = "‹ " + printable(f.values[fd.Key]) + " ›"
		}
		lines = append(lines, fit(mark+label+" "+val, in))
	}
	lines = append(lines, "")
	if fd := f.fields; len(fd) > 0 && fd[f.focus].Hint != "" {
		for _, l := range wrap(fd[f.focus].Hint, in) {
			lines = append(lines, s.Dim.Render(l))
		}
	}
	if f.err != "" {
		lines = append(lines, "")
		for _, l := range wrap(f.err, in) {
			lines = append(lines, s.Danger.Render(l))
		}
	}
	if f.busy != "" {
		lines = append(lines, s.Dim.Render(f.busy))
	}
	lines = append(lines, "", s.Dim.Render("↑/↓ field · ←/→ choose · enter next · ctrl+s save · esc cancel"))
	return boxView(c, title, lines, w)
}
