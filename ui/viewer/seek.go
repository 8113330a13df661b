package viewer

import (
	"context"
	"slices"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/ui/common"
)

// Jumps in a big value: G reads the real last page (not the end of the page on screen), and the
// go-to prompt (ctrl+g) lands on a list index, a hash field, a sorted-set member or score, or a
// stream ID. Each is one bounded read placed where it is needed (LRANGE/ZRANGE at an index,
// ZRANK or ZCOUNT for a rank, XREVRANGE for a stream's end, HGET for a field); only a hash's or
// set's end, which HSCAN/SSCAN cannot seek, walks their cursor pages without keeping them.

// GotoMsg is a resolved go-to target (a rank, a field that exists), or why it was not found.
type GotoMsg struct {
	gen uint64
	at  pagePos
	err error
}

// rangeJump places a list or sorted-set page for a jump: the tail is the last RangePage items,
// a seek keeps the target on a full page where it can; sel is the row to select.
func rangeJump(at pagePos, size int64) (pagePos, int, bool) {
	switch {
	case at.tail:
		start := max(0, size-RangePage)
		return pagePos{index: start, where: "last page"}, int(size - start - 1), true
	case at.seek:
		start := max(0, min(at.index, size-RangePage))
		return pagePos{index: start}, int(min(at.index, size-1) - start), true
	}
	return at, 0, false
}

// jumped records where a jump read and which row it lands on.
func (p *valuePage) jumped(at pagePos, sel int, ok bool) {
	if !ok {
		return
	}
	p.at, p.sel, p.hasSel = &at, max(0, sel), true
}

// lastCursor finds the cursor of the last page of a hash or set for G by walking its cursor
// pages (HSCAN/SSCAN cannot seek); other positions are returned as they are.
func lastCursor(ctx context.Context, at pagePos, step func(uint64) (uint64, error)) (pagePos, error) {
	if !at.tail {
		return at, nil
	}
	var cur uint64
	for pages := 1; ; pages++ {
		next, err := step(cur)
		if err != nil {
			return at, err
		}
		if next == 0 {
			return pagePos{cursor: cur, where: "last page (page " + common.Count(int64(pages)) + ")"}, nil
		}
		if err := ctx.Err(); err != nil {
			return at, err
		}
		cur = next
	}
}

// fieldPage is the one field a go-to found in a hash.
func fieldPage(ctx context.Context, st common.Store, key string, at pagePos) (valuePage, error) {
	sw, ok := st.(common.SafeWriter)
	if !ok {
		return valuePage{}, common.ConstErr("this connection cannot read a single field")
	}
	v, found, err := sw.HGet(ctx, key, at.field)
	if err != nil {
		return valuePage{}, err
	}
	p := valuePage{at: &at, hasSel: true}
	if found {
		p.Rows = [][]string{{at.field, v}}
	}
	return p, nil
}

// streamTail is a stream's last page: its newest entries, oldest first, read backwards.
func streamTail(ctx context.Context, st common.Store, key string) (valuePage, error) {
	sk, ok := st.(common.ValueSeeker)
	if !ok {
		return valuePage{}, common.ConstErr("this connection cannot read a stream from its end")
	}
	es, err := sk.XRevRange(ctx, key, "+", "-", streamPage+1)
	if err != nil {
		return valuePage{}, err
	}
	at := pagePos{where: "last page"}
	if len(es) > streamPage {
		at.id = es[streamPage].ID // the page starts after it: Reload reads the same entries
		es = es[:streamPage]
	}
	slices.Reverse(es)
	p := streamRows(valuePage{}, es)
	p.jumped(at, len(es)-1, true)
	return p, nil
}

// bottom is G on a collection: the last row of the page, or the real last page when more follow.
func (v *Model) bottom(h int) tea.Cmd {
	if !v.Page.more || v.Loading {
		v.selectRow(len(v.Page.Rows)-1, h)
		return nil
	}
	v.back = append(v.back, v.At)
	return v.Load(pagePos{tail: true})
}

var gotoPrompts = map[string]string{
	common.TypeList:   "go to index (negative from the end): ",
	common.TypeHash:   "go to field: ",
	common.TypeZSet:   "go to member or score: ",
	common.TypeStream: "go to ID (ms or ms-seq): ",
}

// startGoto opens the go-to prompt for the value's type.
func (v *Model) startGoto() tea.Cmd {
	prompt, ok := gotoPrompts[v.meta.Type]
	if !ok || v.showDecoded() {
		v.c.Flash("go to works in lists, hashes, sorted sets and streams", common.FlashWarn)
		return nil
	}
	v.op, v.Input = opGoto, common.NewEscapedInput(v.c, common.InputMember, prompt, "")
	return nil
}

// applyGoto resolves the typed target: lists and streams at once, hash fields and sorted-set
// members or scores with one read (GotoMsg).
func (v *Model) applyGoto(in *common.LineInput) tea.Cmd {
	text := strings.TrimSpace(in.Value())
	switch v.meta.Type {
	case common.TypeList:
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			v.c.Flash("not an index: "+common.Printable(text), common.FlashWarn)
			return nil
		}
		if n < 0 {
			n += v.Size
		}
		if n < 0 || n >= v.Size {
			v.c.Flash("index "+common.Printable(text)+" is out of range (0–"+common.Count(v.Size-1)+")", common.FlashWarn)
			return nil
		}
		return v.jump(pagePos{index: n, seek: true})
	case common.TypeStream:
		if !streamID(text) {
			v.c.Flash("not a stream ID: "+common.Printable(text)+" (ms or ms-seq)", common.FlashWarn)
			return nil
		}
		return v.jump(pagePos{id: text, incl: true, where: "from " + text})
	}
	target, err := in.Bytes()
	if err != nil {
		v.Input = in
		v.c.Flash(err.Error(), common.FlashWarn)
		return nil
	}
	st, k, gen, typ := v.c.Store, v.Key, v.gen, v.meta.Type
	return v.c.IO(func(ctx context.Context) tea.Msg {
		if typ == common.TypeHash {
			sw, ok := st.(common.SafeWriter)
			if !ok {
				return GotoMsg{gen: gen, err: common.ConstErr("this connection cannot read a single field")}
			}
			_, found, err := sw.HGet(ctx, k, target)
			if err == nil && !found {
				err = common.ConstErr("no field " + common.Printable(target))
			}
			return GotoMsg{gen: gen, at: pagePos{field: target, where: "field " + target}, err: err}
		}
		sk, ok := st.(common.ValueSeeker)
		if !ok {
			return GotoMsg{gen: gen, err: common.ConstErr("this connection cannot find a member's rank")}
		}
		rank, found, err := sk.ZRank(ctx, k, target)
		if err == nil && !found {
			score, perr := strconv.ParseFloat(strings.TrimSpace(target), 64)
			if perr != nil {
				return GotoMsg{gen: gen, err: common.ConstErr("no member " + common.Printable(target) + " (and not a score)")}
			}
			rank, err = sk.ZCountBelow(ctx, k, score)
		}
		return GotoMsg{gen: gen, at: pagePos{index: rank, seek: true}, err: err}
	})
}

// OnGoto reads the page a go-to resolved to, or says why there is none.
func (v *Model) OnGoto(msg GotoMsg) tea.Cmd {
	if msg.gen != v.gen {
		return nil
	}
	if msg.err != nil {
		v.c.Flash("go to: "+msg.err.Error(), common.FlashWarn)
		return nil
	}
	return v.jump(msg.at)
}

// jump reads the page at, remembering the one on screen for N/[.
func (v *Model) jump(at pagePos) tea.Cmd {
	v.back = append(v.back, v.At)
	return v.Load(at)
}

// streamID accepts what XRANGE takes as a start: ms or ms-seq.
func streamID(s string) bool {
	ms, seq, dash := strings.Cut(s, "-")
	digits := func(x string) bool {
		if x == "" {
			return false
		}
		for i := 0; i < len(x); i++ {
			if x[i] < '0' || x[i] > '9' {
				return false
			}
		}
		return true
	}
	return digits(ms) && (!dash || digits(seq))
}

// PageInfo says which part of the value is on screen, as the viewer's title line does.
func (v *Model) PageInfo() string { return v.pageInfo() }
