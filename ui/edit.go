package ui

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
)

// editLimit is the largest string value that may be edited in $EDITOR: it is read whole.
const editLimit = 1 << 20

// editReadyMsg: the value was read and written to a temporary file.
type editReadyMsg struct {
	gen      uint64
	key      string
	path     string
	original string
	err      error
}

// editDoneMsg: the editor exited.
type editDoneMsg struct {
	gen      uint64
	key      string
	path     string
	original string
	err      error
}

// editSavedMsg: the edited value was written (or not, and why).
type editSavedMsg struct {
	key     string
	changed bool
	err     error
}

// editorCommand returns $VISUAL, $EDITOR or vi, split into program and arguments.
func editorCommand(path string) *exec.Cmd {
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
func (v *viewer) startEdit() tea.Cmd {
	switch {
	case v.c.refusesReadOnly("edit", "SET"):
		return nil
	case v.meta.Type != TypeString:
		v.c.flash("only string values can be edited in $EDITOR for now", FlashWarn)
		return nil
	case v.loading:
		return nil
	case v.size > editLimit:
		v.c.flash("value too large to edit ("+bytesize(v.size)+"; the limit is "+bytesize(editLimit)+")", FlashWarn)
		return nil
	}
	gen, st, k, size := v.gen, v.c.Store, v.key, v.size
	return v.c.io(func(ctx context.Context) tea.Msg {
		val := ""
		if size > 0 {
			var err error
			if val, err = st.GetRange(ctx, k, 0, size-1); err != nil {
				return editReadyMsg{gen: gen, key: k, err: err}
			}
		}
		if !utf8.ValidString(val) {
			return editReadyMsg{gen: gen, key: k, err: constErr("binary value: editing it as text would corrupt it")}
		}
		f, err := os.CreateTemp("", "amr-tui-*.txt")
		if err != nil {
			return editReadyMsg{gen: gen, key: k, err: err}
		}
		_, err = f.WriteString(val)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return editReadyMsg{gen: gen, key: k, path: f.Name(), original: val, err: err}
	})
}

// onEditReady hands the terminal to the editor.
func (a *App) onEditReady(msg editReadyMsg) tea.Cmd {
	if msg.err != nil {
		a.c.flash("edit "+printable(msg.key)+": "+msg.err.Error(), FlashError)
		if msg.path != "" {
			return removeFile(msg.path)
		}
		return nil
	}
	return a.execEditor(editorCommand(msg.path), func(err error) tea.Msg {
		return editDoneMsg{gen: msg.gen, key: msg.key, path: msg.path, original: msg.original, err: err}
	})
}

// onEditDone writes the edited value back, unless the server's value changed meanwhile.
func (a *App) onEditDone(msg editDoneMsg) tea.Cmd {
	if msg.err != nil {
		a.c.flash("editor failed: "+msg.err.Error()+" (nothing was saved)", FlashError)
		return removeFile(msg.path)
	}
	st := a.c.Store
	return a.c.io(func(ctx context.Context) tea.Msg {
		defer os.Remove(msg.path)
		data, err := os.ReadFile(msg.path)
		if err != nil {
			return editSavedMsg{key: msg.key, err: err}
		}
		edited := string(data)
		if edited == msg.original {
			return editSavedMsg{key: msg.key}
		}
		// Not atomic (the Store has no WATCH), but catches an edit racing another writer.
		n, err := st.StrLen(ctx, msg.key)
		if err == nil {
			var cur string
			if n > 0 {
				cur, err = st.GetRange(ctx, msg.key, 0, n-1)
			}
			if err == nil && cur != msg.original {
				err = constErr("the value changed on the server while you were editing; nothing was saved")
			}
		}
		if err == nil {
			err = st.SetKeepTTL(ctx, msg.key, edited)
		}
		return editSavedMsg{key: msg.key, changed: err == nil, err: err}
	})
}

func (a *App) onEditSaved(msg editSavedMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		a.c.flash("save "+printable(msg.key)+" failed: "+msg.err.Error(), FlashError)
	case !msg.changed:
		a.c.flash("no changes", FlashInfo)
	default:
		a.c.flash("saved "+printable(msg.key), FlashInfo)
		if a.screen == screenValue && a.viewer.key == msg.key {
			return a.viewer.load(a.viewer.at)
		}
	}
	return nil
}

func removeFile(path string) tea.Cmd {
	return func() tea.Msg {
		_ = os.Remove(path)
		return nil
	}
}
