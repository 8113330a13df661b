package ui

import (
	"context"
	"strconv"
	"strings"

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
	if v.c.ReadOnly {
		v.c.flash(what+" refused: this profile is read-only (set readOnly: false in the profile to allow writes)", FlashWarn)
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
	default:
		v.c.flash("adding to a "+v.meta.Type+" is not supported here yet", FlashWarn)
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
	}
	return nil
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
