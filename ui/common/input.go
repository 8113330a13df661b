package common

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// InputKind says what a line being typed is for.
type InputKind int

const (
	InputFilter      InputKind = iota // client-side filter over loaded keys, applied as typed
	InputPattern                      // server-side SCAN MATCH pattern, applied on enter
	InputTTL                          // TTL for the selected key
	InputRename                       // new name for the selected key
	InputCommand                      // the `:` prompt
	InputAddName                      // name of a new key
	InputAddType                      // its type
	InputAddValue                     // its first member, one part at a time
	InputMember                       // a member, field, value or score edited in the viewer
	InputOverwrite                    // the name of an existing key, typed to confirm replacing it
	InputBulkTTL                      // TTL for the marked keys
	InputBulkExport                   // file the marked keys are exported to
	InputBulkConfirm                  // the profile name typed to confirm a bulk action
)

// LineInput is a one-line editor with a label.
type LineInput struct {
	Kind    InputKind
	escaped bool // the text is the Escape form of bytes (NewEscapedInput)
	// selected: the prefill is shown selected; typing or pasting replaces it, backspace
	// clears it, a cursor key keeps it and moves on (SelectAll).
	selected bool
	label    string
	ti       textinput.Model
	c        *Common
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

// SelectAll shows the prefill selected, as a search box does: the first character typed
// replaces it instead of being appended to it.
func (in *LineInput) SelectAll() *LineInput {
	in.selected = in.ti.Value() != ""
	return in
}

// Selected reports whether the prefill is still selected (nothing typed yet).
func (in *LineInput) Selected() bool { return in.selected }

// Update feeds a key to the editor and reports whether the value changed.
func (in *LineInput) Update(msg tea.Msg) (tea.Cmd, bool) {
	before := in.ti.Value()
	if k, ok := msg.(tea.KeyPressMsg); ok && in.selected {
		in.selected = false
		switch {
		case k.Text != "":
			in.ti.SetValue("")
		case k.String() == "backspace" || k.String() == "delete" || k.String() == "ctrl+h":
			in.ti.SetValue("")
			return nil, before != ""
		}
	}
	var cmd tea.Cmd
	in.ti, cmd = in.ti.Update(msg)
	return cmd, in.ti.Value() != before
}

// NewEscapedInput returns a prompt for a key name, member or value: raw is shown and edited in
// its Escape form (`\n`, `\x1b`, `\xff`) and Bytes parses it back, so enter on an unchanged
// prefill gives back exactly raw.
func NewEscapedInput(c *Common, kind InputKind, label, raw string) *LineInput {
	in := NewLineInput(c, kind, label, Escape(raw))
	in.escaped = true
	return in
}

// Bytes is the typed text read back with Unescape: the exact bytes to send to Redis.
func (in *LineInput) Bytes() (string, error) { return Unescape(in.ti.Value()) }

// Paste inserts pasted text at the cursor. A one-line prompt refuses text with a line break in
// it (one trailing line break, copied along with a value, is dropped): inserting it would either
// flatten it or run half of it.
func (in *LineInput) Paste(text string) tea.Cmd {
	text = strings.TrimSuffix(strings.TrimSuffix(text, "\n"), "\r")
	if strings.ContainsAny(text, "\r\n") {
		in.c.Flash("paste refused: it has several lines and this prompt takes one (type \\n for a line break, or use $EDITOR)", FlashWarn)
		return nil
	}
	if in.escaped {
		text = EscapeTyped(text) // a pasted tab or ESC is kept as \t, \x1b, not flattened
	}
	if in.selected {
		in.selected = false
		in.ti.SetValue("")
	}
	cmd, _ := in.Update(tea.PasteMsg{Content: text})
	return cmd
}

// Value is the text typed so far.
func (in *LineInput) Value() string { return in.ti.Value() }

// View renders the prompt in width w.
func (in *LineInput) View(w int) string {
	field := in.ti.View()
	if in.selected {
		field = in.c.Styles.Selected.Render(in.ti.Value())
	}
	out := in.c.Styles.Prompt.Render(in.label) + field
	if WidthOf(out) > w {
		out = ansi.Truncate(out, w, "")
	}
	return out
}

// SetValue replaces the typed text and puts the cursor at its end (completion, history).
func (in *LineInput) SetValue(s string) {
	in.ti.SetValue(s)
	in.ti.CursorEnd()
}
