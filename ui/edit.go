package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/viewer"

	"context"
	"fmt"
	"os"

	"github.com/amr-tui/amr-tui/decode"

	tea "charm.land/bubbletea/v2"
)

// onEditReady hands the terminal to the editor.
func (a *App) onEditReady(msg viewer.EditReadyMsg) tea.Cmd {
	if msg.Err != nil {
		a.c.Flash("edit "+common.Printable(msg.Key)+": "+msg.Err.Error(), common.FlashError)
		if msg.Path != "" {
			return viewer.RemoveFile(msg.Path)
		}
		return nil
	}
	return a.execEditor(viewer.EditorCommand(msg.Path), func(err error) tea.Msg {
		return viewer.EditDoneMsg{Gen: msg.Gen, Key: msg.Key, Target: msg.Target, Path: msg.Path, Original: msg.Original, Decoded: msg.Decoded, Err: err}
	})
}

// onEditDone writes the edited value back, unless the server's value changed meanwhile.
func (a *App) onEditDone(msg viewer.EditDoneMsg) tea.Cmd {
	if msg.Err != nil {
		a.c.Flash("editor failed: "+msg.Err.Error()+" (nothing was saved)", common.FlashError)
		return viewer.RemoveFile(msg.Path)
	}
	if a.c.ReadOnly { // the profile may have changed while the editor was open
		a.c.Flash("save refused: this profile is read-only; nothing was saved", common.FlashWarn)
		return viewer.RemoveFile(msg.Path)
	}
	st := a.c.Store
	if msg.Decoded != nil {
		return a.c.IO(func(ctx context.Context) tea.Msg {
			defer os.Remove(msg.Path)
			return saveDecodedEdit(ctx, st, msg)
		})
	}
	t := msg.Target
	saved := func(err error) viewer.EditSavedMsg {
		return viewer.EditSavedMsg{Key: msg.Key, What: t.What(), Changed: err == nil, Err: err}
	}
	return a.c.IO(func(ctx context.Context) tea.Msg {
		defer os.Remove(msg.Path)
		data, err := os.ReadFile(msg.Path)
		if err != nil {
			return viewer.EditSavedMsg{Key: msg.Key, What: t.What(), Err: err}
		}
		edited, err := viewer.ReadEdited(t, msg.Original, data)
		if err != nil {
			return viewer.EditSavedMsg{Key: msg.Key, What: t.What(), Err: common.ConstErr("the edited text cannot be read back (" + err.Error() + "); nothing was saved")}
		}
		if edited == msg.Original {
			return viewer.EditSavedMsg{Key: msg.Key, What: t.What()}
		}
		if t.Type != common.TypeString {
			sw, ok := st.(common.SafeWriter)
			if !ok {
				return saved(common.ConstErr("this connection cannot check the value before writing; nothing was saved"))
			}
			if t.Type == common.TypeHash {
				return saved(sw.HSetIf(ctx, msg.Key, t.Field, msg.Original, edited))
			}
			return saved(sw.LSetIf(ctx, msg.Key, t.Index, msg.Original, edited))
		}
		// Not atomic (the Store has no WATCH for strings), but catches an edit racing another writer.
		n, err := st.StrLen(ctx, msg.Key)
		if err == nil {
			var cur string
			if n > 0 {
				cur, err = st.GetRange(ctx, msg.Key, 0, n-1)
			}
			if err == nil && cur != msg.Original {
				err = common.ConstErr("the value changed on the server while you were editing; nothing was saved (showing what the server holds now)")
			}
		}
		if err == nil {
			err = st.SetKeepTTL(ctx, msg.Key, edited)
		}
		return saved(err)
	})
}

func (a *App) onEditSaved(msg viewer.EditSavedMsg) tea.Cmd {
	shown := a.screen == screenValue && a.viewer.Key == msg.Key
	switch {
	case msg.Err != nil:
		a.c.Flash("save "+common.Printable(msg.Key)+" ("+msg.What+") failed: "+msg.Err.Error(), common.FlashError)
		if shown {
			return a.viewer.Reload() // a refused save shows what the server holds now
		}
	case !msg.Changed:
		a.c.Flash("no changes; nothing was written", common.FlashInfo)
	default:
		a.c.Flash("saved "+common.Printable(msg.Key)+" ("+msg.What+")", common.FlashInfo)
		if shown {
			return a.viewer.Reload()
		}
	}
	return nil
}

// saveDecodedEdit encodes an edited decoded value back (same codec and settings) and writes it,
// unless the stored bytes changed meanwhile. An unchanged edit writes nothing.
func saveDecodedEdit(ctx context.Context, st common.Store, msg viewer.EditDoneMsg) tea.Msg {
	d := msg.Decoded
	data, err := os.ReadFile(msg.Path)
	if err != nil {
		return viewer.EditSavedMsg{Key: msg.Key, Err: err}
	}
	out, changed, err := decode.Reencode(ctx, d.Result, data)
	if err != nil {
		return viewer.EditSavedMsg{Key: msg.Key, Err: fmt.Errorf("not saved: %w", err)}
	}
	if !changed {
		return viewer.EditSavedMsg{Key: msg.Key}
	}
	cur, err := currentRaw(ctx, st, msg.Key, d.Field)
	if err == nil && cur != d.Raw {
		err = common.ConstErr("the value changed on the server while you were editing; nothing was saved")
	}
	if err == nil {
		if d.Field == "" {
			err = st.SetKeepTTL(ctx, msg.Key, string(out))
		} else if sw, ok := st.(common.SafeWriter); ok {
			err = sw.HSetIf(ctx, msg.Key, d.Field, d.Raw, string(out)) // checked on the server, atomically
		} else {
			err = st.HSet(ctx, msg.Key, d.Field, string(out))
		}
	}
	return viewer.EditSavedMsg{Key: msg.Key, Changed: err == nil, Err: err}
}

// currentRaw reads the stored bytes an edit replaces: the whole string, or one field of a
// small hash (an IDistributedCache entry has at most decode.CacheEntryFieldLimit fields).
func currentRaw(ctx context.Context, st common.Store, key, field string) (string, error) {
	if field == "" {
		n, err := st.StrLen(ctx, key)
		if err != nil || n == 0 {
			return "", err
		}
		return st.GetRange(ctx, key, 0, n-1)
	}
	pairs, _, err := st.HScan(ctx, key, 0, 100)
	if err != nil {
		return "", err
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i] == field {
			return pairs[i+1], nil
		}
	}
	return "", common.ConstErr("the field " + field + " is gone from the hash; nothing was saved")
}
