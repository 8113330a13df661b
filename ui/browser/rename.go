package browser

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/ui/common"
)

// Renaming never replaces a key the user did not name twice: RENAMENX first; when the new name
// is taken, the browser says what is there and renames over it only after the user types that
// name again.

// RenameTakenMsg: RENAMENX refused because newKey exists; meta describes what is there.
type RenameTakenMsg struct {
	key, newKey string
	meta        common.KeyMeta
	metaErr     error
	keyspace    uint64
}

// overwrite is a rename waiting for the user to type the existing target's name.
type overwrite struct{ key, target string }

// bytesOf reads a prompt's escaped text back; on a bad escape it reopens the prompt with the
// text as typed and says what to fix.
func (b *Model) bytesOf(in *common.LineInput) (string, bool) {
	v, err := in.Bytes()
	if err != nil {
		b.Input = in
		b.c.Flash(err.Error(), common.FlashWarn)
		return "", false
	}
	return v, true
}

func (b *Model) applyRename(in *common.LineInput) tea.Cmd {
	k, ok := b.Selected()
	if !ok {
		return nil
	}
	v, ok := b.bytesOf(in)
	switch {
	case !ok:
		return nil
	case v == "":
		b.c.Flash("a key name cannot be empty; nothing was renamed", common.FlashWarn)
		return nil
	case v == k:
		b.c.Flash("name unchanged; nothing was renamed", common.FlashInfo)
		return nil
	}
	sw, ok := b.c.Store.(common.SafeWriter)
	if !ok {
		b.c.Flash("rename refused: this connection cannot rename without risking an overwrite", common.FlashWarn)
		return nil
	}
	st, ks := b.c.Store, b.Keyspace
	return b.c.IO(func(ctx context.Context) tea.Msg {
		done, err := sw.RenameNX(ctx, k, v)
		if err != nil || done {
			return ActionMsg{op: "rename", verb: "renamed", key: k, newKey: v, removed: true, err: renameErr(k, v, err), keyspace: ks}
		}
		metas, merr := st.Meta(ctx, []string{v})
		msg := RenameTakenMsg{key: k, newKey: v, metaErr: merr, keyspace: ks}
		if merr == nil && len(metas) == 1 {
			msg.meta = metas[0]
		}
		return msg
	})
}

// renameErr explains CROSSSLOT with the two slots.
func renameErr(k, v string, err error) error { return common.CrossSlotExplain(err, k, v) }

// OnRenameTaken asks for the target's name before replacing it.
func (b *Model) OnRenameTaken(msg RenameTakenMsg) tea.Cmd {
	if msg.keyspace != b.Keyspace {
		return nil
	}
	what := "?"
	if msg.metaErr == nil {
		what = describeKey(msg.meta)
	}
	b.overwrite = &overwrite{key: msg.key, target: msg.newKey}
	b.Input = common.NewLineInput(b.c, common.InputOverwrite,
		common.Printable(msg.newKey)+" exists ("+what+"): type its name to replace it, esc keeps both: ", "")
	return nil
}

// describeKey is "hash, 12K, TTL 5m00s" for the overwrite question.
func describeKey(m common.KeyMeta) string {
	ttl := "no TTL"
	if m.TTL >= 0 {
		ttl = "TTL " + common.TTL(m.TTL)
	}
	size := "size unknown"
	if m.Memory >= 0 {
		size = common.Bytesize(m.Memory)
	}
	return m.Type + ", " + size + ", " + ttl
}

func (b *Model) applyOverwrite(in *common.LineInput) tea.Cmd {
	o := b.overwrite
	b.overwrite = nil
	if o == nil {
		return nil
	}
	// The answer is never echoed: it may be a pasted secret.
	typed, err := in.Bytes()
	if err != nil || typed != o.target {
		b.c.Flash("cancelled: the name did not match; nothing was renamed", common.FlashInfo)
		return nil
	}
	st, ks := b.c.Store, b.Keyspace
	return b.c.IO(func(ctx context.Context) tea.Msg {
		err := renameErr(o.key, o.target, st.Rename(ctx, o.key, o.target))
		return ActionMsg{op: "rename", verb: "renamed (replacing the old key)", key: o.key, newKey: o.target, removed: true, err: err, keyspace: ks}
	})
}
