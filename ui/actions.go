package ui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// confirmState is a yes/no question shown above the list.
type confirmState struct {
	prompt string
	onYes  func() tea.Cmd
}

// actionMsg reports the outcome of a write.
type actionMsg struct {
	op      string // what was attempted: "delete", "rename", "set TTL", "persist"
	verb    string // what happened: "deleted", "renamed", "TTL set to 15m00s on", "persisted"
	key     string
	newKey  string // for rename
	removed bool   // the key left the list
	added   bool   // key joined the list
	err     error
	// keyspace is the browser's keyspace when the write was asked for: a reply arriving
	// after a profile switch or :db is reported, but changes nothing in the new list.
	keyspace uint64
}

// refuseReadOnly flashes why a write is refused and reports whether it was.
// cmd is the command the action sends, which the read-only rule judges.
func (b *browser) refuseReadOnly(what string, cmd ...string) bool {
	return b.c.refusesReadOnly(what, cmd...)
}

func (b *browser) askDelete() tea.Cmd {
	k, ok := b.selected()
	if !ok || b.refuseReadOnly("delete", "DEL") {
		return nil
	}
	st, ks := b.c.Store, b.keyspace
	b.confirm = &confirmState{prompt: "Delete " + printable(k) + "?", onYes: func() tea.Cmd {
		return b.c.io(func(ctx context.Context) tea.Msg {
			return actionMsg{op: "delete", verb: "deleted", key: k, removed: true, err: st.Del(ctx, k), keyspace: ks}
		})
	}}
	return nil
}

func (b *browser) askTTL() tea.Cmd {
	if _, ok := b.selected(); !ok || b.refuseReadOnly("set TTL", "PEXPIRE") {
		return nil
	}
	b.input = newLineInput(b.c, inputTTL, "TTL (e.g. 90s, 15m, 2h): ", "")
	return nil
}

func (b *browser) askRename() tea.Cmd {
	k, ok := b.selected()
	if !ok || b.refuseReadOnly("rename", "RENAME") {
		return nil
	}
	b.input = newLineInput(b.c, inputRename, "rename to: ", k)
	return nil
}

func (b *browser) persist() tea.Cmd {
	k, ok := b.selected()
	if !ok || b.refuseReadOnly("persist", "PERSIST") {
		return nil
	}
	st, ks := b.c.Store, b.keyspace
	return b.c.io(func(ctx context.Context) tea.Msg {
		return actionMsg{op: "persist", verb: "persisted", key: k, err: st.Persist(ctx, k), keyspace: ks}
	})
}

func (b *browser) updateConfirm(msg tea.KeyPressMsg) tea.Cmd {
	c := b.confirm
	switch {
	case msg.String() == "y" || msg.String() == "enter":
		b.confirm = nil
		return c.onYes()
	case key.Matches(msg, b.c.Keys.Cancel), msg.String() == "q":
		b.confirm = nil
		b.c.flash("cancelled", FlashInfo)
	}
	return nil
}

// updateInput edits the line being typed and applies it on enter.
func (b *browser) updateInput(msg tea.KeyPressMsg) tea.Cmd {
	in := b.input
	switch msg.String() {
	case "esc":
		b.input = nil
		if in.kind == inputFilter {
			b.clearFilter()
			b.move(0, b.c.bodyHeight())
			return b.metaCmd()
		}
		return nil
	case "enter":
		b.input = nil
		return b.applyInput(in)
	}
	cmd, changed := in.update(msg)
	if changed && in.kind == inputFilter {
		return batch(cmd, b.setFilter(in.value()))
	}
	return cmd
}

func (b *browser) applyInput(in *lineInput) tea.Cmd {
	v := in.value()
	switch in.kind {
	case inputFilter:
		return b.setFilter(v)
	case inputPattern:
		if b.tree != nil {
			b.tree = nil
		}
		return b.start(strings.TrimSpace(v), b.scan.typ)
	case inputTTL:
		k, ok := b.selected()
		if !ok {
			return nil
		}
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil || d < time.Second {
			b.c.flash("TTL must be a duration of at least 1s, like 90s, 15m or 2h", FlashWarn)
			return nil
		}
		st, ks := b.c.Store, b.keyspace
		return b.c.io(func(ctx context.Context) tea.Msg {
			return actionMsg{op: "set TTL", verb: "TTL set to " + shortDuration(d) + " on", key: k, err: st.Expire(ctx, k, d), keyspace: ks}
		})
	case inputAddName:
		if v == "" {
			return nil
		}
		b.addName = v
		b.input = newLineInput(b.c, inputAddValue, "value of "+printable(v)+": ", "")
		return nil
	case inputAddValue:
		k, st, ks := b.addName, b.c.Store, b.keyspace
		b.addName = ""
		return b.c.io(func(ctx context.Context) tea.Msg {
			ok, err := st.SetNX(ctx, k, v)
			if err == nil && !ok {
				err = constErr("a key with that name already exists; nothing was changed")
			}
			return actionMsg{op: "add", verb: "added", key: k, added: true, err: err, keyspace: ks}
		})
	case inputRename:
		k, ok := b.selected()
		if !ok || v == "" || v == k {
			return nil
		}
		st, ks := b.c.Store, b.keyspace
		return b.c.io(func(ctx context.Context) tea.Msg {
			return actionMsg{op: "rename", verb: "renamed", key: k, newKey: v, removed: true, err: st.Rename(ctx, k, v), keyspace: ks}
		})
	}
	return nil
}

// onAction applies a finished write to the list: the key list changes only after Redis said
// yes, so a failed command leaves everything as it was.
func (b *browser) onAction(msg actionMsg) tea.Cmd {
	if msg.err != nil {
		b.c.flash(msg.op+" failed for "+printable(msg.key)+": "+msg.err.Error(), FlashError)
		return nil
	}
	text := msg.verb + " " + printable(msg.key)
	if msg.newKey != "" {
		text += " → " + printable(msg.newKey)
	}
	if msg.keyspace != b.keyspace {
		// Done in the keyspace shown before a profile switch or :db: a key of the same name
		// here is another key.
		b.c.flash(text+" (in the database shown before)", FlashInfo)
		return nil
	}
	delete(b.meta, msg.key)
	var cmds []tea.Cmd
	if msg.added {
		b.keys.add(msg.key)
		b.filter.catchUp(b.keys)
		if !b.filter.active() {
			b.move(b.keys.Len()-1, b.c.bodyHeight())
		}
	}
	if msg.removed {
		pos := b.keys.remove(msg.key)
		if b.filter.pending {
			cmds = append(cmds, b.refilter()) // the running pass saw the old positions
		} else {
			b.filter.removed(pos)
		}
		if msg.newKey != "" {
			b.keys.add(msg.newKey)
			b.filter.catchUp(b.keys)
		}
	}
	if b.tree != nil {
		b.tree.top().applyAction(msg, b.tree.delim)
	}
	b.c.flash(text, FlashInfo)
	b.move(b.cursor, b.c.bodyHeight())
	return batch(append(cmds, b.metaCmd())...)
}
