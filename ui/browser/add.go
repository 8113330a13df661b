package browser

import (
	"context"
	"slices"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/ui/common"
)

// Adding a key: its name first (checked to be free), then its type, then its first member;
// the key is created only if the name is still free (common.SafeWriter.CreateKey).

// addTypes are the types `a` creates, in the order the prompt lists them.
var addTypes = []string{common.TypeString, common.TypeHash, common.TypeList, common.TypeSet, common.TypeZSet, common.TypeStream}

// adding is a new key being described, one prompt at a time.
type adding struct {
	name  string
	typ   string
	parts []string // the first member's parts typed so far
}

// AddNameMsg: whether the name typed for a new key is free.
type AddNameMsg struct {
	name     string
	exists   bool
	err      error
	keyspace uint64
}

// askAdd opens the name prompt, prefilled with prefix (a tree level's).
func (b *Model) askAdd(prefix string) tea.Cmd {
	if b.refuseReadOnly("add key", "SET") {
		return nil
	}
	b.adding = nil
	b.Input = common.NewEscapedInput(b.c, common.InputAddName, "new key name: ", prefix)
	return nil
}

func (b *Model) applyAddName(in *common.LineInput) tea.Cmd {
	name, ok := b.bytesOf(in)
	if !ok {
		return nil
	}
	if name == "" {
		b.c.Flash("a key name cannot be empty; nothing was added", common.FlashWarn)
		return nil
	}
	st, ks := b.c.Store, b.Keyspace
	return b.c.IO(func(ctx context.Context) tea.Msg {
		ex, err := st.Exists(ctx, name)
		return AddNameMsg{name: name, exists: ex, err: err, keyspace: ks}
	})
}

// OnAddName asks for the type of a free name, or says the name is taken.
func (b *Model) OnAddName(msg AddNameMsg) tea.Cmd {
	if msg.keyspace != b.Keyspace {
		return nil
	}
	switch {
	case msg.err != nil:
		b.c.Flash("cannot check "+common.Printable(msg.name)+": "+msg.err.Error()+"; nothing was added", common.FlashError)
		return nil
	case msg.exists:
		b.c.Flash(common.Printable(msg.name)+" already exists; choose another name (nothing was changed)", common.FlashWarn)
		b.Input = common.NewEscapedInput(b.c, common.InputAddName, "new key name: ", msg.name)
		return nil
	}
	b.adding = &adding{name: msg.name}
	def := common.TypeString
	if t := b.Scan.Typ; slices.Contains(addTypes, t) {
		def = t // under :keys * hash, a new key is a hash unless said otherwise
	}
	b.Input = common.NewLineInput(b.c, common.InputAddType, "type of "+common.Printable(msg.name)+" ("+strings.Join(addTypes, ", ")+"): ", def)
	return nil
}

// partLabels are the prompts for a new key's first member, by type.
var partLabels = map[string][]string{
	common.TypeString: {"value: "},
	common.TypeHash:   {"first field: ", "its value: "},
	common.TypeList:   {"first element: "},
	common.TypeSet:    {"first member: "},
	common.TypeZSet:   {"first member: ", "its score: "},
	common.TypeStream: {"first entry (field value …, quote values with spaces): "},
}

func (b *Model) applyAddType(in *common.LineInput) tea.Cmd {
	if b.adding == nil {
		return nil
	}
	t := strings.ToLower(strings.TrimSpace(in.Value()))
	if t == "sorted set" || t == "sortedset" {
		t = common.TypeZSet
	}
	if !slices.Contains(addTypes, t) {
		b.Input = in
		b.c.Flash("unknown type "+strconv.Quote(t)+"; the types are "+strings.Join(addTypes, ", "), common.FlashWarn)
		return nil
	}
	b.adding.typ = t
	return b.askPart()
}

func (b *Model) askPart() tea.Cmd {
	a := b.adding
	label := common.Printable(a.name) + " " + partLabels[a.typ][len(a.parts)]
	if a.typ == common.TypeZSet && len(a.parts) == 1 {
		b.Input = common.NewLineInput(b.c, common.InputAddValue, label, "0")
	} else {
		b.Input = common.NewEscapedInput(b.c, common.InputAddValue, label, "")
	}
	return nil
}

func (b *Model) applyAddPart(in *common.LineInput) tea.Cmd {
	a := b.adding
	if a == nil {
		return nil
	}
	switch {
	case a.typ == common.TypeStream:
		fields, err := common.SplitFields(in.Value())
		if err != nil {
			b.Input = in
			b.c.Flash(err.Error(), common.FlashWarn)
			return nil
		}
		a.parts = fields
	case a.typ == common.TypeZSet && len(a.parts) == 1:
		text := strings.TrimSpace(in.Value())
		if _, err := strconv.ParseFloat(text, 64); err != nil {
			b.Input = in
			b.c.Flash("a score is a number, like 42 or 1.5e3", common.FlashWarn)
			return nil
		}
		a.parts = append(a.parts, text)
	default:
		v, ok := b.bytesOf(in)
		if !ok {
			return nil
		}
		a.parts = append(a.parts, v)
	}
	if a.typ != common.TypeStream && len(a.parts) < len(partLabels[a.typ]) {
		return b.askPart()
	}
	b.adding = nil
	sw, ok := b.c.Store.(common.SafeWriter)
	if !ok {
		b.c.Flash("add refused: this connection cannot create a key without risking an overwrite", common.FlashWarn)
		return nil
	}
	ks := b.Keyspace
	return b.c.IO(func(ctx context.Context) tea.Msg {
		created, err := sw.CreateKey(ctx, a.typ, a.name, a.parts)
		if err == nil && !created {
			err = common.ConstErr("a key with that name was created meanwhile; nothing was changed")
		}
		return ActionMsg{op: "add", verb: "added " + a.typ, key: a.name, typ: a.typ, added: true, err: err, keyspace: ks}
	})
}

// listed reports whether the running scan (pattern and type) would list key of type typ ("" when
// unknown), so an added or renamed key only joins a list it belongs in.
func (b *Model) listed(key, typ string) bool {
	if b.Scan.Typ != "" && typ != "" && typ != b.Scan.Typ {
		return false
	}
	p := b.Scan.Match
	if p == "" {
		return true
	}
	return globMatch(p, key)
}
