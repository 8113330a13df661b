package ui

import (
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

// memberMsg reports a member write.
type memberMsg struct {
	gen  uint64
	what string // "HSET field", for the flash
	err  error
}

// collection reports whether the open key is a type with selectable member rows.
func (v *viewer) collection() bool {
	switch v.meta.Type {
	case TypeHash, TypeList, TypeSet, TypeZSet, TypeStream:
		return true
	}
	return false
}

// selected returns the selected row of the page.
func (v *viewer) selectedRow() ([]string, bool) {
	if v.sel < 0 || v.sel >= len(v.page.rows) {
		return nil, false
	}
	return v.page.rows[v.sel], true
}

func (v *viewer) refuseWrite(what string) bool {
	if v.c.refusesReadOnly(what, memberWrite(v.meta.Type, what)) {
		return true
	}
	if v.loading {
		return true
	}
	return false
}

// editMember starts editing the selected member.
func (v *viewer) editMember() tea.Cmd {
	row, ok := v.selectedRow()
	if !ok || v.refuseWrite("edit") {
		return nil
	}
	switch v.meta.Type {
	case TypeHash:
		v.op, v.input = opEditValue, newLineInput(v.c, inputMember, "HSET "+printable(row[0])+" = ", row[1])
	case TypeList:
		v.op, v.input = opEditValue, newLineInput(v.c, inputMember, "LSET index "+row[0]+" = ", row[1])
	case TypeZSet:
		v.op, v.input = opEditScore, newLineInput(v.c, inputMember, "score of "+printable(row[1])+": ", row[0])
	default:
		v.c.flash("members of a "+v.meta.Type+" cannot be edited in place (delete and add instead)", FlashWarn)
	}
	return nil
}

// addMember asks for a new member.
func (v *viewer) addMember() tea.Cmd {
	if !v.collection() || v.refuseWrite("add") {
		return nil
	}
	switch v.meta.Type {
	case TypeHash:
		v.op, v.input = opAddField, newLineInput(v.c, inputMember, "new field: ", "")
	case TypeSet, TypeZSet:
		v.op, v.input = opAddMember, newLineInput(v.c, inputMember, "new member: ", "")
	case TypeList:
		v.op, v.input = opAppend, newLineInput(v.c, inputMember, "RPUSH (append): ", "")
	case TypeStream:
		v.op, v.input = opAddEntry, newLineInput(v.c, inputMember, "XADD * field value …: ", "")
	default:
		v.c.flash("adding to a "+v.meta.Type+" is not supported here", FlashWarn)
	}
	return nil
}

// deleteMember asks to remove the selected member.
func (v *viewer) deleteMember() tea.Cmd {
	row, ok := v.selectedRow()
	if !ok || v.refuseWrite("delete") {
		return nil
	}
	st, k := v.c.Store, v.key
	var what string
	var do func(ctx context.Context) error
	switch v.meta.Type {
	case TypeHash:
		f := row[0]
		what, do = "HDEL "+printable(f), func(ctx context.Context) error { return st.HDel(ctx, k, f) }
	case TypeSet:
		m := row[0]
		what, do = "SREM "+printable(m), func(ctx context.Context) error { return st.SRem(ctx, k, m) }
	case TypeZSet:
		m := row[1]
		what, do = "ZREM "+printable(m), func(ctx context.Context) error { return st.ZRem(ctx, k, m) }
	case TypeList:
		i, err := strconv.ParseInt(row[0], 10, 64)
		if err != nil {
			return nil
		}
		elem := row[1]
		what, do = "remove element "+row[0]+" ("+printable(elem)+")", func(ctx context.Context) error { return st.LRemAt(ctx, k, i, elem) }
	case TypeStream:
		id := row[0]
		what, do = "XDEL "+printable(id), func(ctx context.Context) error { return st.XDel(ctx, k, id) }
	default:
		v.c.flash("removing single "+v.meta.Type+" entries is not supported here", FlashWarn)
		return nil
	}
	v.confirm = &confirmState{prompt: what + "?", onYes: func() tea.Cmd { return v.memberWrite(what, do) }}
	return nil
}

func (v *viewer) memberWrite(what string, do func(ctx context.Context) error) tea.Cmd {
	gen := v.gen
	return v.c.io(func(ctx context.Context) tea.Msg {
		return memberMsg{gen: gen, what: what, err: do(ctx)}
	})
}

// applyMember runs the write for a finished input line.
func (v *viewer) applyMember(val string) tea.Cmd {
	st, k := v.c.Store, v.key
	row, _ := v.selectedRow()
	switch v.op {
	case opEditValue:
		if row == nil {
			return nil
		}
		if v.meta.Type == TypeHash {
			f := row[0]
			return v.memberWrite("HSET "+printable(f), func(ctx context.Context) error { return st.HSet(ctx, k, f, val) })
		}
		i, _ := strconv.ParseInt(row[0], 10, 64)
		return v.memberWrite("LSET "+row[0], func(ctx context.Context) error { return st.LSet(ctx, k, i, val) })
	case opEditScore, opAddScore:
		score, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			v.c.flash("a score is a number, like 42 or 1.5e3", FlashWarn)
			return nil
		}
		m := v.pending
		if v.op == opEditScore && row != nil {
			m = row[1]
		}
		return v.memberWrite("ZADD "+printable(m), func(ctx context.Context) error { return st.ZAdd(ctx, k, m, score) })
	case opAddField:
		if val == "" {
			return nil
		}
		v.pending, v.op = val, opAddValue
		v.input = newLineInput(v.c, inputMember, "value of "+printable(val)+": ", "")
		return nil
	case opAddValue:
		f := v.pending
		return v.memberWrite("HSET "+printable(f), func(ctx context.Context) error { return st.HSet(ctx, k, f, val) })
	case opAddMember:
		if val == "" {
			return nil
		}
		if v.meta.Type == TypeZSet {
			v.pending, v.op = val, opAddScore
			v.input = newLineInput(v.c, inputMember, "score of "+printable(val)+": ", "0")
			return nil
		}
		return v.memberWrite("SADD "+printable(val), func(ctx context.Context) error { return st.SAdd(ctx, k, val) })
	case opAppend:
		return v.memberWrite("RPUSH", func(ctx context.Context) error { return st.RPush(ctx, k, val) })
	case opPrepend:
		return v.memberWrite("LPUSH", func(ctx context.Context) error { return st.LPush(ctx, k, val) })
	case opAddEntry:
		fields, err := entryFields(val)
		if err != nil {
			v.c.flash(err.Error(), FlashWarn)
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
func (v *viewer) prependMember() tea.Cmd {
	if v.meta.Type != TypeList || v.c.refusesReadOnly("add", "LPUSH") || v.refuseWrite("add") {
		return nil
	}
	v.op, v.input = opPrepend, newLineInput(v.c, inputMember, "LPUSH (prepend): ", "")
	return nil
}

// entryFields splits an XADD line into field/value pairs, quoted as redis-cli quotes them
// ("a b" or 'a b' for a value with spaces).
func entryFields(line string) ([]string, error) {
	args, ok := splitQuoted(line)
	switch {
	case !ok:
		return nil, constErr("XADD: unbalanced quotes; quote values with spaces like field \"a value\" or 'a value'")
	case len(args) == 0 || len(args)%2 != 0:
		return nil, constErr("XADD needs field value pairs, like: type login user 7")
	}
	return args, nil
}

// updateEditing routes keys while an input or a confirmation is open in the viewer.
func (v *viewer) updateEditing(msg tea.KeyPressMsg) tea.Cmd {
	if c := v.confirm; c != nil {
		switch msg.String() {
		case "y", "enter":
			v.confirm = nil
			return c.onYes()
		case "n", "esc", "q":
			v.confirm = nil
			v.c.flash("cancelled", FlashInfo)
		}
		return nil
	}
	switch msg.String() {
	case "esc":
		v.input = nil
		return nil
	case "enter":
		in := v.input
		v.input = nil
		return v.applyMember(in.value())
	}
	cmd, _ := v.input.update(msg)
	return cmd
}

func (v *viewer) onMember(msg memberMsg) tea.Cmd {
	if msg.gen != v.gen {
		return nil
	}
	if msg.err != nil {
		v.c.flash(msg.what+" failed: "+msg.err.Error(), FlashError)
		return nil
	}
	v.c.flash(msg.what+" done", FlashInfo)
	v.reloading = true
	return v.load(v.at)
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
