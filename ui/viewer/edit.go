package viewer

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
)

// editLimit is the largest string value that may be edited in $EDITOR: it is read whole.
const editLimit = 1 << 20

// EditTarget names what one $EDITOR session edits: a whole string value, a hash field's value
// or a list element.
type EditTarget struct {
	Type  string // common.TypeString, common.TypeHash or common.TypeList
	Field string // the hash field
	Index int64  // the list index
	// Escaped: the file holds common.Escape of the value (it is not valid UTF-8 or has control
	// bytes an editor would mangle) and is read back with common.Unescape.
	Escaped bool
}

// What names the target for messages: "HSET field", "LSET 3", "the value".
func (t EditTarget) What() string {
	switch t.Type {
	case common.TypeHash:
		return "HSET " + common.Printable(t.Field)
	case common.TypeList:
		return "LSET " + strconv.FormatInt(t.Index, 10)
	}
	return "the value"
}

// EditReadyMsg: the value was read and written to a temporary file.
type EditReadyMsg struct {
	Gen      uint64
	Key      string
	Target   EditTarget
	Path     string
	Original string
	Decoded  *DecodedEdit // set when the decoded text is edited (decoded.go)
	Err      error
}

// EditDoneMsg: the editor exited.
type EditDoneMsg struct {
	Gen      uint64
	Key      string
	Target   EditTarget
	Path     string
	Original string
	Decoded  *DecodedEdit
	Err      error
}

// EditSavedMsg: the edited value was written (or not, and why).
type EditSavedMsg struct {
	Key     string
	What    string // EditTarget.What
	Changed bool
	Err     error
}

// EditorCommand returns $VISUAL, $EDITOR or vi, split into program and arguments.
func EditorCommand(path string) *exec.Cmd {
	ed := os.Getenv("VISUAL")
	if ed == "" {
		ed = os.Getenv("EDITOR")
	}
	if ed == "" {
		ed = "vi"
	}
	f := strings.Fields(ed)
	return exec.Command(f[0], append(f[1:], path)...)
}

// startEdit reads the whole string value (bounded by editLimit) into a temporary file.
func (v *Model) startEdit() tea.Cmd {
	switch {
	case v.c.RefusesReadOnly("edit", "SET"):
		return nil
	case v.meta.Type == common.TypeNone:
		v.c.Flash("this key does not exist (or no longer does): nothing to edit", common.FlashWarn)
		return nil
	case v.meta.Type != common.TypeString:
		v.c.Flash("only string values can be edited in $EDITOR for now", common.FlashWarn)
		return nil
	case v.Loading:
		return nil
	case v.Size > editLimit:
		v.c.Flash("value too large to edit ("+common.Bytesize(v.Size)+"; the limit is "+common.Bytesize(editLimit)+")", common.FlashWarn)
		return nil
	}
	gen, st, k, size := v.gen, v.c.Store, v.Key, v.Size
	return v.c.IO(func(ctx context.Context) tea.Msg {
		val := ""
		if size > 0 {
			var err error
			if val, err = st.GetRange(ctx, k, 0, size-1); err != nil {
				return EditReadyMsg{Gen: gen, Key: k, Err: err}
			}
		}
		return writeEditFile(gen, k, EditTarget{Type: common.TypeString}, val)
	})
}

// startMemberEdit hands a hash value or list element the one-line editor cannot show exactly
// (newlines, control bytes, invalid UTF-8, long) to $EDITOR. The row holds the whole value.
func (v *Model) startMemberEdit(t EditTarget, val string) tea.Cmd {
	gen, k := v.gen, v.Key
	return v.c.IO(func(context.Context) tea.Msg { return writeEditFile(gen, k, t, val) })
}

// writeEditFile writes val to a temporary file: as it is when an editor keeps it intact (valid
// UTF-8 whose only control bytes are line breaks and tabs), else in its escaped form.
func writeEditFile(gen uint64, k string, t EditTarget, val string) tea.Msg {
	text := val
	if !EditorSafe(val) {
		t.Escaped, text = true, common.Escape(val)
	}
	f, err := os.CreateTemp("", "amr-tui-*.txt")
	if err != nil {
		return EditReadyMsg{Gen: gen, Key: k, Target: t, Err: err}
	}
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return EditReadyMsg{Gen: gen, Key: k, Target: t, Path: f.Name(), Original: val, Err: err}
}

// EditorSafe reports whether s goes to $EDITOR as it is (valid UTF-8 whose only control bytes are
// line breaks and tabs); anything else is edited in its common.Escape form.
func EditorSafe(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			return false
		}
	}
	return true
}

// ReadEdited reads the editor's file back into the bytes to store. Editors end a saved file
// with a line break: one that the original did not have is dropped, so saving an unchanged
// file writes nothing. An escaped file is unescaped (its line breaks are the editor's own).
func ReadEdited(t EditTarget, original string, data []byte) (string, error) {
	s := string(data)
	if t.Escaped {
		return common.Unescape(strings.TrimRight(s, "\r\n"))
	}
	if !strings.HasSuffix(original, "\n") && strings.HasSuffix(s, "\n") {
		s = strings.TrimSuffix(strings.TrimSuffix(s, "\n"), "\r")
	}
	return s, nil
}

// writeTemp puts text in a new temporary file for the editor.
func writeTemp(text string) (string, error) {
	f, err := os.CreateTemp("", "amr-tui-*.txt")
	if err != nil {
		return "", err
	}
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return f.Name(), err
}

// RemoveFile deletes the editor's temporary file in a Cmd (no I/O in Update).
func RemoveFile(path string) tea.Cmd {
	return func() tea.Msg {
		_ = os.Remove(path)
		return nil
	}
}
