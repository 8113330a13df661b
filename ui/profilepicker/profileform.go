package profilepicker

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"slices"

	"charm.land/bubbles/v2/textinput"
)

// FormKindKey is the field whose choice decides the rest of the form.
const FormKindKey = "auth.kind"

// Form adds or edits one profile: the fields the editor lists for the chosen auth kind,
// one line each. Values survive a change of kind, so switching back loses nothing typed.
type Form struct {
	Original string // the profile edited; "" when adding
	Fields   []common.FormField
	Inputs   map[string]*textinput.Model // free-text fields
	Values   map[string]string           // choice fields, and the saved values while loading
	Saved    map[string]string           // secret references saved in the profile (hints only)
	Focus    int
	Err      string
	Busy     string
	Loading  bool
}

// ProfileLoadedMsg carries a saved profile's form values.
type ProfileLoadedMsg struct {
	Name   string
	Values map[string]string
	Err    error
}

// ProfileSavedMsg reports a save (or, with deleted, a delete).
type ProfileSavedMsg struct {
	Name    string
	Deleted bool
	Err     error
	Form    *Form // the form that asked; nil for a delete
}

// SetFields lays the form out for a set of fields, keeping every value typed so far.
func (f *Form) SetFields(c *common.Common, fields []common.FormField) {
	for k, in := range f.Inputs {
		f.Values[k] = in.Value()
	}
	focused := ""
	if f.Focus < len(f.Fields) {
		focused = f.Fields[f.Focus].Key
	}
	f.Fields = fields
	f.Inputs = map[string]*textinput.Model{}
	lw := f.labelWidth()
	for _, fd := range fields {
		if len(fd.Choices) > 0 {
			if !slices.Contains(fd.Choices, f.Values[fd.Key]) {
				f.Values[fd.Key] = fd.Choices[0]
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
			if ref := f.Saved[fd.Key]; ref != "" {
				ti.Placeholder = "empty keeps " + common.Printable(ref)
			}
		}
		// A secret typed before a change of kind comes back masked, like any other value.
		ti.SetValue(f.Values[fd.Key])
		ti.SetWidth(max(1, common.BoxInner(common.BoxWidth(c.Width))-lw-5))
		f.Inputs[fd.Key] = &ti
	}
	f.Focus = 0
	for i, fd := range fields {
		if fd.Key == focused {
			f.Focus = i
		}
	}
	f.Refocus()
}

func (f *Form) labelWidth() int {
	w := 0
	for _, fd := range f.Fields {
		w = max(w, common.WidthOf(fd.Label))
	}
	return w
}

// Refocus moves the text cursor to the focused field and blurs the others.
func (f *Form) Refocus() {
	for i, fd := range f.Fields {
		if in, ok := f.Inputs[fd.Key]; ok {
			if i == f.Focus {
				in.Focus()
			} else {
				in.Blur()
			}
		}
	}
}

// Collect is the form's values as the editor takes them. Secret fields are included only when
// something was typed: empty keeps the saved reference.
func (f *Form) Collect() map[string]string {
	out := map[string]string{}
	for _, fd := range f.Fields {
		if in, ok := f.Inputs[fd.Key]; ok {
			if fd.Secret && in.Value() == "" {
				continue
			}
			out[fd.Key] = in.Value()
		} else {
			out[fd.Key] = f.Values[fd.Key]
		}
	}
	return out
}

// View renders the form box.
func (f *Form) View(c *common.Common, w int) []string {
	s := c.Styles
	in := common.BoxInner(common.BoxWidth(w))
	title := "Add a profile"
	if f.Original != "" {
		title = "Edit profile " + common.Printable(f.Original)
	}
	if f.Loading {
		return common.BoxView(c, title, []string{s.Dim.Render("reading the profile…")}, w)
	}
	lw := f.labelWidth()
	var lines []string
	for i, fd := range f.Fields {
		label := common.Fit(fd.Label, lw)
		mark := "  "
		if i == f.Focus {
			mark = s.Prompt.Render("› ")
			label = s.Header.Render(label)
		} else {
			label = s.Dim.Render(label)
		}
		var val string
		if ti, ok := f.Inputs[fd.Key]; ok {
			val = ti.View()
		} else {
			val = "‹ " + common.Printable(f.Values[fd.Key]) + " ›"
		}
		lines = append(lines, common.Fit(mark+label+" "+val, in))
	}
	lines = append(lines, "")
	if fd := f.Fields; len(fd) > 0 && fd[f.Focus].Hint != "" {
		for _, l := range common.Wrap(fd[f.Focus].Hint, in) {
			lines = append(lines, s.Dim.Render(l))
		}
	}
	if f.Err != "" {
		lines = append(lines, "")
		for _, l := range common.Wrap(f.Err, in) {
			lines = append(lines, s.Danger.Render(l))
		}
	}
	if f.Busy != "" {
		lines = append(lines, s.Dim.Render(f.Busy))
	}
	lines = append(lines, "", s.Dim.Render("↑/↓ field · ←/→ choose · enter next · ctrl+s save · esc cancel"))
	return common.BoxView(c, title, lines, w)
}
