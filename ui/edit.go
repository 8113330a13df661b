package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/viewer"

	"context"
	"os"

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
		return viewer.EditDoneMsg{Gen: msg.Gen, Key: msg.Key, Path: msg.Path, Original: msg.Original, Err: err}
	})
}

// onEditDone writes the edited value back, unless the server's value changed meanwhile.
func (a *App) onEditDone(msg viewer.EditDoneMsg) tea.Cmd {
	if msg.Err != nil {
		a.c.Flash("editor failed: "+msg.Err.Error()+" (nothing was saved)", common.FlashError)
		return viewer.RemoveFile(msg.Path)
	}
	st := a.c.Store
	return a.c.IO(func(ctx context.Context) tea.Msg {
		defer os.Remove(msg.Path)
		data, err := os.ReadFile(msg.Path)
		if err != nil {
			return viewer.EditSavedMsg{Key: msg.Key, Err: err}
		}
		edited := string(data)
		if edited == msg.Original {
			return viewer.EditSavedMsg{Key: msg.Key}
		}
		// Not atomic (the Store has no WATCH), but catches an edit racing another writer.
		n, err := st.StrLen(ctx, msg.Key)
		if err == nil {
			var cur string
			if n > 0 {
				cur, err = st.GetRange(ctx, msg.Key, 0, n-1)
			}
			if err == nil && cur != msg.Original {
				err = common.ConstErr("the value changed on the server while you were editing; nothing was saved")
			}
		}
		if err == nil {
			err = st.SetKeepTTL(ctx, msg.Key, edited)
		}
		return viewer.EditSavedMsg{Key: msg.Key, Changed: err == nil, Err: err}
	})
}

func (a *App) onEditSaved(msg viewer.EditSavedMsg) tea.Cmd {
	switch {
	case msg.Err != nil:
		a.c.Flash("save "+common.Printable(msg.Key)+" failed: "+msg.Err.Error(), common.FlashError)
	case !msg.Changed:
		a.c.Flash("no changes", common.FlashInfo)
	default:
		a.c.Flash("saved "+common.Printable(msg.Key), common.FlashInfo)
		if a.screen == screenValue && a.viewer.Key == msg.Key {
			return a.viewer.Load(a.viewer.At)
		}
	}
	return nil
}
