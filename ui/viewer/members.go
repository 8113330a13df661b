package viewer

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"context"
	"math"
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
	opGoto                      // the go-to prompt (seek.go): nothing is written
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
	if v.c.RefusesReadOnly(what, memberWrite(v.meta.Type, what)) {
		return true
	}
	if v.Loading {
		return true
	}
	return false
}

// editMember starts editing the selected member. A value the one-line editor cannot show
// exactly (line breaks, control bytes, invalid UTF-8, long) opens in $EDITOR instead; the
// one-line editor edits the escaped form, so enter on it unchanged writes nothing.
func (v *Model) editMember() tea.Cmd {
	row, ok := v.selectedRow()
	if !ok || v.refuseWrite("edit") {
		return nil
	}
	switch v.meta.Type {
	case common.TypeHash, common.TypeList:
		t := viewerTarget(v.meta.Type, row)
		if !common.OneLine(row[1]) {
			v.c.Flash("opening $EDITOR: this value has line breaks, control bytes or is long", common.FlashInfo)
			return v.startMemberEdit(t, row[1])
		}
		label := "HSET " + common.Printable(row[0]) + " = "
		if v.meta.Type == common.TypeList {
			label = "LSET index " + row[0] + " = "
		}
		v.op, v.editing, v.Input = opEditValue, row, common.NewEscapedInput(v.c, common.InputMember, label, row[1])
	case common.TypeZSet:
		v.op, v.editing, v.Input = opEditScore, row, common.NewLineInput(v.c, common.InputMember, "score of "+common.Printable(row[1])+": ", row[0])
	default:
		v.c.Flash("members of a "+v.meta.Type+" cannot be edited in place (delete and add instead)", common.FlashWarn)
	}
	return nil
}

// viewerTarget names the hash field or list element of a row for $EDITOR.
func viewerTarget(typ string, row []string) EditTarget {
	if typ == common.TypeHash {
		return EditTarget{Type: typ, Field: row[0]}
	}
	i, _ := strconv.ParseInt(row[0], 10, 64)
	return EditTarget{Type: typ, Index: i}
}

// addMember asks for a new member.
func (v *Model) addMember() tea.Cmd {
	if !v.collection() || v.refuseWrite("add") {
		return nil
	}
	switch v.meta.Type {
	case common.TypeHash:
		v.op, v.Input = opAddField, common.NewEscapedInput(v.c, common.InputMember, "new field: ", "")
	case common.TypeSet, common.TypeZSet:
		v.op, v.Input = opAddMember, common.NewEscapedInput(v.c, common.InputMember, "new member: ", "")
	case common.TypeList:
		v.op, v.Input = opAppend, common.NewEscapedInput(v.c, common.InputMember, "RPUSH (append): ", "")
	case common.TypeStream:
		v.op, v.Input = opAddEntry, common.NewEscapedInput(v.c, common.InputMember, "XADD * field value …: ", "")
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

// applyMember runs the write for a finished input line (text as typed, escaped).
func (v *Model) applyMember(in *common.LineInput) tea.Cmd {
	st, k := v.c.Store, v.Key
	sw, safe := st.(common.SafeWriter)
	if !safe {
		v.c.Flash("refused: this connection cannot check before writing, so nothing is written", common.FlashWarn)
		return nil
	}
	row := v.editing
	v.editing = nil
	if v.op == opEditScore || v.op == opAddScore || v.op == opAddEntry {
		return v.applyTyped(in, sw, row)
	}
	val, err := in.Bytes()
	if err != nil {
		v.Input, v.editing = in, row
		v.c.Flash(err.Error(), common.FlashWarn)
		return nil
	}
	switch v.op {
	case opEditValue:
		if row == nil {
			return nil
		}
		if val == row[1] {
			v.c.Flash("no changes; nothing was written", common.FlashInfo)
			return nil
		}
		if v.meta.Type == common.TypeHash {
			f, old := row[0], row[1]
			return v.memberWrite("HSET "+common.Printable(f), func(ctx context.Context) error { return sw.HSetIf(ctx, k, f, old, val) })
		}
		i, _ := strconv.ParseInt(row[0], 10, 64)
		old := row[1]
		return v.memberWrite("LSET "+row[0], func(ctx context.Context) error { return sw.LSetIf(ctx, k, i, old, val) })
	case opAddField:
		gen := v.gen
		return v.c.IO(func(ctx context.Context) tea.Msg {
			cur, ok, err := sw.HGet(ctx, k, val)
			return MemberTakenMsg{gen: gen, member: val, current: cur, exists: ok, err: err}
		})
	case opAddValue:
		f, replace := v.pending, v.replace
		v.replace = false
		if replace {
			return v.memberWrite("HSET "+common.Printable(f), func(ctx context.Context) error { return st.HSet(ctx, k, f, val) })
		}
		return v.memberWrite("HSET "+common.Printable(f), func(ctx context.Context) error {
			if ok, err := sw.HSetNX(ctx, k, f, val); err != nil || ok {
				return err
			}
			return common.ConstErr("the field was added by someone else meanwhile; nothing was written")
		})
	case opAddMember:
		if v.meta.Type == common.TypeZSet {
			gen := v.gen
			return v.c.IO(func(ctx context.Context) tea.Msg {
				score, ok, err := sw.ZScore(ctx, k, val)
				return MemberTakenMsg{gen: gen, member: val, current: FormatScore(score), exists: ok, err: err}
			})
		}
		return v.memberWrite("SADD "+common.Printable(val), func(ctx context.Context) error { return st.SAdd(ctx, k, val) })
	case opAppend:
		return v.memberWrite("RPUSH", func(ctx context.Context) error { return st.RPush(ctx, k, val) })
	case opPrepend:
		return v.memberWrite("LPUSH", func(ctx context.Context) error { return st.LPush(ctx, k, val) })
	}
	return nil
}

// applyTyped handles the prompts whose text is parsed rather than taken as bytes: scores and
// stream entries.
func (v *Model) applyTyped(in *common.LineInput, sw common.SafeWriter, row []string) tea.Cmd {
	st, k := v.c.Store, v.Key
	switch v.op {
	case opEditScore, opAddScore:
		text := strings.TrimSpace(in.Value())
		score, err := strconv.ParseFloat(text, 64)
		if err != nil {
			v.Input, v.editing = in, row
			v.c.Flash("a score is a number, like 42 or 1.5e3", common.FlashWarn)
			return nil
		}
		if v.op == opEditScore {
			if row == nil {
				return nil
			}
			if text == row[0] {
				v.c.Flash("no changes; nothing was written", common.FlashInfo)
				return nil
			}
			m := row[1]
			return v.memberWrite("ZADD "+common.Printable(m), func(ctx context.Context) error { return sw.ZScoreIf(ctx, k, m, score) })
		}
		m, replace := v.pending, v.replace
		v.replace = false
		if replace {
			return v.memberWrite("ZADD "+common.Printable(m), func(ctx context.Context) error { return st.ZAdd(ctx, k, m, score) })
		}
		return v.memberWrite("ZADD "+common.Printable(m), func(ctx context.Context) error {
			if ok, err := sw.ZAddNX(ctx, k, m, score); err != nil || ok {
				return err
			}
			return common.ConstErr("the member was added by someone else meanwhile; nothing was written")
		})
	case opAddEntry:
		fields, err := entryFields(in.Value())
		if err != nil {
			v.Input = in
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

// MemberTakenMsg: whether a hash field or sorted-set member being added already exists.
type MemberTakenMsg struct {
	gen     uint64
	member  string
	current string // its value (hash) or score (zset)
	exists  bool
	err     error
}

// OnMemberTaken asks for the value of a free field or member, or first asks whether to replace
// an existing one, showing what it holds.
func (v *Model) OnMemberTaken(msg MemberTakenMsg) tea.Cmd {
	if msg.gen != v.gen {
		return nil
	}
	if msg.err != nil {
		v.c.Flash("cannot check "+common.Printable(msg.member)+": "+msg.err.Error()+"; nothing was written", common.FlashError)
		return nil
	}
	name := common.Printable(msg.member)
	askValue := func(replace bool) tea.Cmd {
		v.pending, v.replace = msg.member, replace
		if v.meta.Type == common.TypeZSet {
			v.op, v.Input = opAddScore, common.NewLineInput(v.c, common.InputMember, "score of "+name+": ", "0")
		} else {
			v.op, v.Input = opAddValue, common.NewEscapedInput(v.c, common.InputMember, "value of "+name+": ", "")
		}
		return nil
	}
	if !msg.exists {
		return askValue(false)
	}
	what := "field " + name + " exists with value " + strconv.Quote(common.Printable(msg.current))
	if v.meta.Type == common.TypeZSet {
		what = "member " + name + " exists with score " + msg.current
	}
	v.Confirm = &common.ConfirmState{Prompt: what + ": replace it?", OnYes: func() tea.Cmd { return askValue(true) }}
	return nil
}

// FormatScore prints a sorted-set score as Redis prints it: the shortest digits that read back
// the same, laid out as C's %.17g lays them out (plain from 1e-4 up to 1e17, exponent outside:
// 12345678.9, 0.0001, 1e-05, 1e+20, 1.2345678901234568e+17), and inf/-inf.
func FormatScore(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case f == 0:
		return "0"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // shortest digits: "1.2345678901234568e+17"
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 17 {
		return e
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// memberPrepend is the list viewer's LPUSH key (a appends with RPUSH).
var memberPrepend = key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "prepend (LPUSH)"))

// prependMember asks for an element to put at the head of a list.
func (v *Model) prependMember() tea.Cmd {
	if v.meta.Type != common.TypeList || v.c.RefusesReadOnly("add", "LPUSH") || v.refuseWrite("add") {
		return nil
	}
	v.op, v.Input = opPrepend, common.NewEscapedInput(v.c, common.InputMember, "LPUSH (prepend): ", "")
	return nil
}

// entryFields splits an XADD line into field/value pairs (common.SplitFields).
func entryFields(line string) ([]string, error) { return common.SplitFields(line) }

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
		v.Input, v.editing, v.replace = nil, nil, false
		if v.op == opGoto {
			return nil
		}
		v.c.Flash("cancelled; nothing was written", common.FlashInfo)
		return nil
	case "enter":
		in := v.Input
		v.Input = nil
		if v.op == opGoto {
			return v.applyGoto(in)
		}
		return v.applyMember(in)
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
		return v.Reload() // show what the server holds now (a refused write changed nothing)
	}
	v.c.Flash(msg.what+" done", common.FlashInfo)
	return v.Reload()
}

// memberWrite is the command the viewer sends to edit, add or delete a member of typ, for the
// read-only rule.
func memberWrite(typ, op string) string {
	cmds := map[string]map[string]string{
		"edit":   {common.TypeHash: "HSET", common.TypeList: "LSET", common.TypeZSet: "ZADD"},
		"add":    {common.TypeHash: "HSET", common.TypeSet: "SADD", common.TypeZSet: "ZADD", common.TypeList: "RPUSH", common.TypeStream: "XADD"},
		"delete": {common.TypeHash: "HDEL", common.TypeSet: "SREM", common.TypeZSet: "ZREM", common.TypeList: "LREM", common.TypeStream: "XDEL"},
	}
	if c, ok := cmds[op][typ]; ok {
		return c
	}
	return "SET" // a write all the same: the rule refuses it on a read-only profile
}
