package viewer

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"context"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// In-place editing of collection members in the viewer: the selected row of the current page
// is edited (e), deleted (d, confirmed) or a member is added (a). Every write is refused in a
// read-only profile before any call, and the page is re-read after a success.
// memberOp is an edit being typed in the viewer.
type memberOp int

const (
	opEditValue memberOp = iota // hash value, list element
	opEditScore                 // sorted-set score
	opAddField                  // hash field name (then opAddValue)
	opAddValue                  // hash value for pending
	opAddMember                 // set or sorted-set member (then opAddScore for zsets)
	opAddScore                  // sorted-set score for pending
	opAppend                    // list element appended (RPUSH)
	opPrepend                   // list element prepended (LPUSH)
	opAddEntry                  // stream entry fields (XADD)
)

// MemberMsg reports a member write.
type MemberMsg struct {
	gen  uint64
	what string // "HSET field", for the flash
	err  error
}

// collection reports whether the open key is a type with selectable member rows.
func (v *Model) collection() bool {
	switch v.meta.Type {
	case common.TypeHash, common.TypeList, common.TypeSet, common.TypeZSet, common.TypeStream:
		return true
	}
	return false
}

// selected returns the selected row of the page.
func (v *Model) selectedRow() ([]string, bool) {
	if v.Sel < 0 || v.Sel >= len(v.Page.Rows) {
		return nil, false
	}
	return v.Page.Rows[v.Sel], true
}

func (v *Model) refuseWrite(what string) bool {
	if v.c.ReadOnly {
		v.c.Flash(what+" refused: this profile is read-only (set read_only = false in the profile to allow writes)", common.FlashWarn)
		return true
	}
	if v.Loading {
		return true
	}
	return false
}

// editMember starts editing the selected member.
func (v *Model) editMember() tea.Cmd {
	row, ok := v.selectedRow()
	if !ok || v.refuseWrite("edit") {
		return nil
	}
	switch v.meta.Type {
	case common.TypeHash:
		v.op, v.Input = opEditValue, common.NewLineInput(v.c, common.InputMember, "HSET "+common.Printable(row[0])+" = ", row[1])
	case common.TypeList:
		v.op, v.Input = opEditValue, common.NewLineInput(v.c, common.InputMember, "LSET index "+row[0]+" = ", row[1])
	case common.TypeZSet:
		v.op, v.Input = opEditScore, common.NewLineInput(v.c, common.InputMember, "score of "+common.Printable(row[1])+": ", row[0])
	default:
		v.c.Flash("members of a "+v.meta.Type+" cannot be edited in place (delete and add instead)", common.FlashWarn)
	}
	return nil
}

// addMember asks for a new member.
func (v *Model) addMember() tea.Cmd {
	if !v.collection() || v.refuseWrite("add") {
		return nil
	}
	switch v.meta.Type {
	case common.TypeHash:
		v.op, v.Input = opAddField, common.NewLineInput(v.c, common.InputMember, "new field: ", "")
	case common.TypeSet, common.TypeZSet:
		v.op, v.Input = opAddMember, common.NewLineInput(v.c, common.InputMember, "new member: ", "")
	case common.TypeList:
		v.op, v.Input = opAppend, common.NewLineInput(v.c, common.InputMember, "RPUSH (append): ", "")
	case common.TypeStream:
		v.op, v.Input = opAddEntry, common.NewLineInput(v.c, common.InputMember, "XADD * field value …: ", "")
	default:
		v.c.Flash("adding to a "+v.meta.Type+" is not supported here", common.FlashWarn)
	}
	return nil
}

// deleteMember asks to remove the selected member.
func (v *Model) deleteMember() tea.Cmd {
	row, ok := v.selectedRow()
	if !ok || v.refuseWrite("delete") {
		return nil
	}
	st, k := v.c.Store, v.Key
	var what string
	var do func(ctx context.Context) error
	switch v.meta.Type {
	case common.TypeHash:
		f := row[0]
		what, do = "HDEL "+common.Printable(f), func(ctx context.Context) error { return st.HDel(ctx, k, f) }
	case common.TypeSet:
		m := row[0]
		what, do = "SREM "+common.Printable(m), func(ctx context.Context) error { return st.SRem(ctx, k, m) }
	case common.TypeZSet:
		m := row[1]
		what, do = "ZREM "+common.Printable(m), func(ctx context.Context) error { return st.ZRem(ctx, k, m) }
	case common.TypeList:
		i, err := strconv.ParseInt(row[0], 10, 64)
		if err != nil {
			return nil
		}
		elem := row[1]
		what, do = "remove element "+row[0]+" ("+common.Printable(elem)+")", func(ctx context.Context) error { return st.LRemAt(ctx, k, i, elem) }
	case common.TypeStream:
		id := row[0]
		what, do = "XDEL "+common.Printable(id), func(ctx context.Context) error { return st.XDel(ctx, k, id) }
	default:
		v.c.Flash("removing single "+v.meta.Type+" entries is not supported here", common.FlashWarn)
		return nil
	}
	v.Confirm = &common.ConfirmState{Prompt: what + "?", OnYes: func() tea.Cmd { return v.memberWrite(what, do) }}
	return nil
}

func (v *Model) memberWrite(what string, do func(ctx context.Context) error) tea.Cmd {
	gen := v.gen
	return v.c.IO(func(ctx context.Context) tea.Msg {
		return MemberMsg{gen: gen, what: what, err: do(ctx)}
	})
}

// applyMember runs the write for a finished input line.
func (v *Model) applyMember(val string) tea.Cmd {
	st, k := v.c.Store, v.Key
	row, _ := v.selectedRow()
	switch v.op {
	case opEditValue:
		if row == nil {
			return nil
		}
		if v.meta.Type == common.TypeHash {
			f := row[0]
			return v.memberWrite("HSET "+common.Printable(f), func(ctx context.Context) error { return st.HSet(ctx, k, f, val) })
		}
		i, _ := strconv.ParseInt(row[0], 10, 64)
		return v.memberWrite("LSET "+row[0], func(ctx context.Context) error { return st.LSet(ctx, k, i, val) })
	case opEditScore, opAddScore:
		score, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			v.c.Flash("a score is a number, like 42 or 1.5e3", common.FlashWarn)
			return nil
		}
		m := v.pending
		if v.op == opEditScore && row != nil {
			m = row[1]
		}
		return v.memberWrite("ZADD "+common.Printable(m), func(ctx context.Context) error { return st.ZAdd(ctx, k, m, score) })
	case opAddField:
		if val == "" {
			return nil
		}
		v.pending, v.op = val, opAddValue
		v.Input = common.NewLineInput(v.c, common.InputMember, "value of "+common.Printable(val)+": ", "")
		return nil
	case opAddValue:
		f := v.pending
		return v.memberWrite("HSET "+common.Printable(f), func(ctx context.Context) error { return st.HSet(ctx, k, f, val) })
	case opAddMember:
		if val == "" {
			return nil
		}
		if v.meta.Type == common.TypeZSet {
			v.pending, v.op = val, opAddScore
			v.Input = common.NewLineInput(v.c, common.InputMember, "score of "+common.Printable(val)+": ", "0")
			return nil
		}
		return v.memberWrite("SADD "+common.Printable(val), func(ctx context.Context) error { return st.SAdd(ctx, k, val) })
	case opAppend:
		return v.memberWrite("RPUSH", func(ctx context.Context) error { return st.RPush(ctx, k, val) })
	case opPrepend:
		return v.memberWrite("LPUSH", func(ctx context.Context) error { return st.LPush(ctx, k, val) })
	case opAddEntry:
		fields, err := entryFields(val)
		if err != nil {
			v.c.Flash(err.Error(), common.FlashWarn)
			return nil
		}
		return v.memberWrite("XADD", func(ctx context.Context) error {
			_, err := st.XAdd(ctx, k, fields)
			return err
		})
	}
	return nil
}

// memberPrepend is the list viewer's LPUSH key (a appends with RPUSH).
var memberPrepend = key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "prepend (LPUSH)"))

// prependMember asks for an element to put at the head of a list.
func (v *Model) prependMember() tea.Cmd {
	if v.meta.Type != common.TypeList || v.refuseWrite("add") {
		return nil
	}
	v.op, v.Input = opPrepend, common.NewLineInput(v.c, common.InputMember, "LPUSH (prepend): ", "")
	return nil
}

// entryFields splits an XADD line into field/value pairs, quoted as redis-cli quotes them
// ("a b" or 'a b' for a value with spaces).
func entryFields(line string) ([]string, error) {
	args, ok := splitQuoted(line)
	switch {
	case !ok:
		return nil, common.ConstErr("XADD: unbalanced quotes; quote values with spaces like field \"a value\" or 'a value'")
	case len(args) == 0 || len(args)%2 != 0:
		return nil, common.ConstErr("XADD needs field value pairs, like: type login user 7")
	}
	return args, nil
}

// updateEditing routes keys while an input or a confirmation is open in the viewer.
func (v *Model) updateEditing(msg tea.KeyPressMsg) tea.Cmd {
	if c := v.Confirm; c != nil {
		switch msg.String() {
		case "y", "enter":
			v.Confirm = nil
			return c.OnYes()
		case "n", "esc", "q":
			v.Confirm = nil
			v.c.Flash("cancelled", common.FlashInfo)
		}
		return nil
	}
	switch msg.String() {
	case "esc":
		v.Input = nil
		return nil
	case "enter":
		in := v.Input
		v.Input = nil
		return v.applyMember(in.Value())
	}
	cmd, _ := v.Input.Update(msg)
	return cmd
}

// OnMember applies a finished member write: the page changes only after Redis said yes.
func (v *Model) OnMember(msg MemberMsg) tea.Cmd {
	if msg.gen != v.gen {
		return nil
	}
	if msg.err != nil {
		v.c.Flash(msg.what+" failed: "+msg.err.Error(), common.FlashError)
		return nil
	}
	v.c.Flash(msg.what+" done", common.FlashInfo)
	v.reloading = true
	return v.Load(v.At)
}

// splitQuoted splits on spaces, keeping "double" or 'single' quoted text (with \" and \\ inside
// double quotes) as one argument. It reports false for an unclosed quote. (ui does not import
// rediscli, which would bring go-redis into the UI.)
func splitQuoted(line string) ([]string, bool) {
	var (
		out    []string
		cur    strings.Builder
		inArg  bool
		quote  rune
		escape bool
	)
	for _, r := range line {
		switch {
		case escape:
			cur.WriteRune(r)
			escape = false
		case quote == '"' && r == '\\':
			escape = true
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inArg = r, true
		case r == ' ' || r == '\t':
			if inArg {
				out = append(out, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteRune(r)
			inArg = true
		}
	}
	if quote != 0 || escape {
		return nil, false
	}
	if inArg {
		out = append(out, cur.String())
	}
	return out, true
}
