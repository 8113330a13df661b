package browser

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// ActionMsg reports the outcome of a write.
type ActionMsg struct {
	op      string // what was attempted: "delete", "rename", "set TTL", "persist"
	verb    string // what happened: "deleted", "renamed", "TTL set to 15m00s on", "persisted"
	key     string
	newKey  string // for rename
	typ     string // the type of an added key
	removed bool   // the key left the list
	added   bool   // key joined the list
	err     error
	// keyspace is the browser's keyspace when the write was asked for: a reply arriving
	// after a profile switch or :db is reported, but changes nothing in the new list.
	keyspace uint64
}

// refuseReadOnly flashes why a write is refused and reports whether it was; cmd is the
// command the action sends, which rediscli's read-only rule judges.
func (b *Model) refuseReadOnly(what string, cmd ...string) bool {
	return b.c.RefusesReadOnly(what, cmd...)
}

func (b *Model) askDelete() tea.Cmd {
	k, ok := b.Selected()
	if !ok || b.refuseReadOnly("delete", "DEL") {
		return nil
	}
	st, ks := b.c.Store, b.Keyspace
	b.Confirm = &common.ConfirmState{Prompt: "Delete " + common.Printable(k) + "?", OnYes: func() tea.Cmd {
		return b.c.IO(func(ctx context.Context) tea.Msg {
			return ActionMsg{op: "delete", verb: "deleted", key: k, removed: true, err: st.Del(ctx, k), keyspace: ks}
		})
	}}
	return nil
}

func (b *Model) askTTL() tea.Cmd {
	if _, ok := b.Selected(); !ok || b.refuseReadOnly("set TTL", "PEXPIRE") {
		return nil
	}
	b.Input = common.NewLineInput(b.c, common.InputTTL, "TTL (3600, 90s, 15m, 1h30m, 1d2h): ", "")
	return nil
}

func (b *Model) askRename() tea.Cmd {
	k, ok := b.Selected()
	if !ok || b.refuseReadOnly("rename", "RENAME") {
		return nil
	}
	b.Input = common.NewEscapedInput(b.c, common.InputRename, "rename to: ", k)
	return nil
}

func (b *Model) persist() tea.Cmd {
	k, ok := b.Selected()
	if !ok || b.refuseReadOnly("persist", "PERSIST") {
		return nil
	}
	st, ks := b.c.Store, b.Keyspace
	return b.c.IO(func(ctx context.Context) tea.Msg {
		return ActionMsg{op: "persist", verb: "persisted", key: k, err: st.Persist(ctx, k), keyspace: ks}
	})
}

func (b *Model) updateConfirm(msg tea.KeyPressMsg) tea.Cmd {
	c := b.Confirm
	switch {
	case msg.String() == "y" || msg.String() == "enter":
		b.Confirm = nil
		return c.OnYes()
	case key.Matches(msg, b.c.Keys.Cancel), msg.String() == "q":
		b.Confirm = nil
		b.c.Flash("cancelled", common.FlashInfo)
	}
	return nil
}

// FilterChanged applies the filter prompt's text after a paste into it.
func (b *Model) FilterChanged() tea.Cmd {
	if b.Input == nil || b.Input.Kind != common.InputFilter {
		return nil
	}
	return b.setFilter(b.Input.Value())
}

// updateInput edits the line being typed and applies it on enter.
func (b *Model) updateInput(msg tea.KeyPressMsg) tea.Cmd {
	in := b.Input
	switch msg.String() {
	case "esc":
		b.Input = nil
		if in.Kind == common.InputBulkConfirm {
			b.bulk = nil
			b.c.Flash("cancelled: nothing was changed", common.FlashInfo)
		}
		if in.Kind == common.InputOverwrite {
			b.overwrite = nil
			b.c.Flash("cancelled; nothing was renamed", common.FlashInfo)
		}
		if in.Kind == common.InputFilter {
			b.clearFilter()
			b.Move(0, b.c.BodyHeight())
			return b.MetaCmd()
		}
		return nil
	case "enter":
		b.Input = nil
		return b.applyInput(in)
	}
	cmd, changed := in.Update(msg)
	if changed && in.Kind == common.InputFilter {
		return common.Batch(cmd, b.setFilter(in.Value()))
	}
	return cmd
}

func (b *Model) applyInput(in *common.LineInput) tea.Cmd {
	v := in.Value()
	switch in.Kind {
	case common.InputFilter:
		return b.setFilter(v)
	case common.InputBulkTTL, common.InputBulkExport, common.InputBulkConfirm:
		return b.applyBulkInput(in)
	case common.InputPattern:
		if b.Tree != nil {
			b.Tree = nil
		}
		return b.Start(strings.TrimSpace(v), b.Scan.Typ)
	case common.InputTTL:
		k, ok := b.Selected()
		if !ok {
			return nil
		}
		d, err := common.ParseTTL(v)
		if err != nil {
			b.c.Flash(err.Error()+"; nothing was changed", common.FlashWarn)
			return nil
		}
		st, ks := b.c.Store, b.Keyspace
		return b.c.IO(func(ctx context.Context) tea.Msg {
			return ActionMsg{op: "set TTL", verb: "TTL set to " + common.TTLUnderstood(d) + " on", key: k, err: st.Expire(ctx, k, d), keyspace: ks}
		})
	case common.InputAddName:
		return b.applyAddName(in)
	case common.InputAddType:
		return b.applyAddType(in)
	case common.InputAddValue:
		return b.applyAddPart(in)
	case common.InputRename:
		return b.applyRename(in)
	case common.InputOverwrite:
		return b.applyOverwrite(in)
	}
	return nil
}

// OnAction applies a finished write to the list: the key list changes only after Redis said
// yes, so a failed command leaves everything as it was.
func (b *Model) OnAction(msg ActionMsg) tea.Cmd {
	if msg.err != nil {
		// Any action on two keys a cluster refuses with CROSSSLOT says which is in which slot.
		err := msg.err
		if msg.newKey != "" {
			err = common.CrossSlotExplain(err, msg.key, msg.newKey)
		} else {
			err = common.CrossSlotExplain(err, msg.key)
		}
		b.c.Flash(msg.op+" failed for "+common.Printable(msg.key)+": "+err.Error(), common.FlashError)
		return nil
	}
	text := msg.verb + " " + common.Printable(msg.key)
	if msg.newKey != "" {
		text += " → " + common.Printable(msg.newKey)
	}
	if msg.keyspace != b.Keyspace {
		// Done in the keyspace shown before a profile switch or :db: a key of the same name
		// here is another key.
		b.c.Flash(text+" (in the database shown before)", common.FlashInfo)
		return nil
	}
	typ := msg.typ
	if m, ok := b.Meta[msg.key]; ok && typ == "" {
		typ = m.Type
	}
	delete(b.Meta, msg.key)
	if msg.newKey != "" {
		delete(b.Meta, msg.newKey)
	}
	var cmds []tea.Cmd
	if msg.added && !b.listed(msg.key, typ) {
		text += " (not listed: outside the current pattern or type)"
	} else if msg.added {
		b.Keys.Add(msg.key)
		b.Filter.CatchUp(b.Keys)
		if !b.Filter.active() {
			b.Move(b.Keys.Len()-1, b.c.BodyHeight())
		}
	}
	if msg.removed {
		pos := b.Keys.remove(msg.key)
		if b.Filter.Pending {
			cmds = append(cmds, b.Refilter()) // the running pass saw the old positions
		} else {
			b.Filter.removed(pos)
		}
		b.Sort.removed(pos)
		if b.Tree != nil {
			cmds = append(cmds, b.Tree.removed(b, msg.key, pos))
		}
		if msg.newKey != "" && !b.listed(msg.newKey, typ) {
			text += " (not listed: outside the current pattern or type)"
		} else if msg.newKey != "" {
			b.Keys.Add(msg.newKey)
			b.Filter.CatchUp(b.Keys)
		}
	}
	if b.Tree != nil {
		b.Tree.catchUp(b)
		lv := b.Tree.Top()
		lv.Cursor = max(0, min(lv.Cursor, b.Tree.Rows()-1))
	}
	b.c.Flash(text, common.FlashInfo)
	b.Move(b.Cursor, b.c.BodyHeight())
	return common.Batch(append(cmds, b.MetaCmd())...)
}

// Forget drops a key the server no longer holds (it was deleted or expired while it opened),
// as a delete would, without a flash of its own: the viewer already says so.
func (b *Model) Forget(k string) tea.Cmd {
	delete(b.Meta, k)
	pos := b.Keys.remove(k)
	if pos < 0 {
		return nil
	}
	var cmds []tea.Cmd
	if b.Filter.Pending {
		cmds = append(cmds, b.Refilter())
	} else {
		b.Filter.removed(pos)
	}
	if b.Tree != nil {
		cmds = append(cmds, b.Tree.removed(b, k, pos))
		b.Tree.catchUp(b)
		lv := b.Tree.Top()
		lv.Cursor = max(0, min(lv.Cursor, b.Tree.Rows()-1))
	}
	b.Move(b.Cursor, b.c.BodyHeight())
	return common.Batch(cmds...)
}

// Refresh re-reads a key's TYPE/TTL/MEMORY after the viewer wrote it.
func (b *Model) Refresh(k string) tea.Cmd {
	if _, ok := b.Meta[k]; !ok {
		return nil
	}
	delete(b.Meta, k)
	return b.MetaCmd()
}
