package common

import (
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// InputKind says what a line being typed is for.
type InputKind int

const (
	InputFilter   InputKind = iota // client-side filter over loaded keys, applied as typed
	InputPattern                   // server-side SCAN MATCH pattern, applied on enter
	InputTTL                       // TTL for the selected key
	InputRename                    // new name for the selected key
	InputCommand                   // the `:` prompt
	InputAddName                   // name of a new string key
	InputAddValue                  // its value
	InputMember                    // a member, field, value or score edited in the viewer
)

// LineInput is a one-line editor with a label.
type LineInput struct {
	Kind  InputKind
	label string
	ti    textinput.Model
	c     *Common
}

// NewLineInput returns a one-line prompt of the given kind, prefilled with value.
func NewLineInput(c *Common, kind InputKind, label, value string) *LineInput {
	ti := textinput.New()
	ti.Prompt = ""
	st := ti.Styles()
	st.Cursor.Blink = false // no blink timer: deterministic views and no idle wake-ups
	ti.SetStyles(st)
	ti.SetValue(value)
	ti.CursorEnd()
	w := c.Width - len(label) - 2
	if kind == InputFilter {
		w = min(w, 30) // room for the match count beside it
	}
	ti.SetWidth(max(1, w))
	ti.Focus()
	return &LineInput{Kind: kind, label: label, ti: ti, c: c}
}

// Update feeds a key to the editor and reports whether the value changed.
func (in *LineInput) Update(msg tea.Msg) (tea.Cmd, bool) {
	before := in.ti.Value()
	var cmd tea.Cmd
	in.ti, cmd = in.ti.Update(msg)
	return cmd, in.ti.Value() != before
}

// Value is the text typed so far.
func (in *LineInput) Value() string { return in.ti.Value() }

// View renders the prompt in width w.
func (in *LineInput) View(w int) string {
	out := in.c.Styles.Prompt.Render(in.label) + in.ti.View()
	if WidthOf(out) > w {
		out = ansi.Truncate(out, w, "")
	}
	return out
}
