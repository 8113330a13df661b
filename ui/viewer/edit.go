package viewer

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"context"
	"os"
	"os/exec"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
)

// editLimit is the largest string value that may be edited in $EDITOR: it is read whole.
const editLimit = 1 << 20

// EditReadyMsg: the value was read and written to a temporary file.
type EditReadyMsg struct {
	Gen      uint64
	Key      string
	Path     string
	Original string
	Err      error
}

// EditDoneMsg: the editor exited.
type EditDoneMsg struct {
	Gen      uint64
	Key      string
	Path     string
	Original string
	Err      error
}

// EditSavedMsg: the edited value was written (or not, and why).
type EditSavedMsg struct {
	Key     string
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
	case v.c.ReadOnly:
		v.c.Flash("edit refused: this profile is read-only (set read_only = false in the profile to allow writes)", common.FlashWarn)
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
		if !utf8.ValidString(val) {
			return EditReadyMsg{Gen: gen, Key: k, Err: common.ConstErr("binary value: editing it as text would corrupt it")}
		}
		f, err := os.CreateTemp("", "amr-tui-*.txt")
		if err != nil {
			return EditReadyMsg{Gen: gen, Key: k, Err: err}
		}
		_, err = f.WriteString(val)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return EditReadyMsg{Gen: gen, Key: k, Path: f.Name(), Original: val, Err: err}
	})
}

// RemoveFile deletes the editor's temporary file in a Cmd (no I/O in Update).
func RemoveFile(path string) tea.Cmd {
	return func() tea.Msg {
		_ = os.Remove(path)
		return nil
	}
}
