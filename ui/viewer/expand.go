package viewer

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/decode"
	"github.com/amr-tui/amr-tui/ui/common"
)

// The expanded member view: enter on a member row shows that member whole — a hash value, a
// list element, a set or sorted-set member, each field of a stream entry — decoded as a string
// value is (auto-detected, V picks a codec) and, as a string, in the text, JSON and hex views
// (v cycles auto → text → json → hex). esc goes back to the rows.

// expandPart is one value of the expanded member.
type expandPart struct {
	label string // "value", "member", a stream field name
	raw   string
	res   decode.Result
}

type expandState struct {
	title   string
	parts   []expandPart
	choice  decode.Codec
	view    stringMode // ModeAuto: decoded; text, json, hex: the bytes as a string value shows them
	gen     uint64
	pending bool
	lines   []string
	offset  int
}

// ExpandedMsg is the decode of an expanded member.
type ExpandedMsg struct {
	gen   uint64
	parts []expandPart
}

// Expanded reports whether a member is expanded (esc then closes it, not the viewer).
func (v *Model) Expanded() bool { return v.exp != nil }

// expand opens the selected row's member.
func (v *Model) expand() tea.Cmd {
	row, ok := v.selectedRow()
	if !ok {
		return nil
	}
	e := &expandState{choice: decode.Auto, view: ModeAuto}
	switch v.meta.Type {
	case common.TypeHash:
		e.title = "field " + common.Printable(row[0])
		e.parts = []expandPart{{label: "value", raw: row[1]}}
	case common.TypeList:
		e.title = "element " + row[0]
		e.parts = []expandPart{{label: "element", raw: row[1]}}
	case common.TypeSet:
		e.title = "member"
		e.parts = []expandPart{{label: "member", raw: row[0]}}
	case common.TypeZSet:
		e.title = "member with score " + row[0]
		e.parts = []expandPart{{label: "member", raw: row[1]}}
	case common.TypeStream:
		e.title = "entry " + common.Printable(row[0])
		if v.Sel < len(v.Page.entries) {
			f := v.Page.entries[v.Sel].Fields
			for i := 0; i+1 < len(f); i += 2 {
				e.parts = append(e.parts, expandPart{label: f[i], raw: f[i+1]})
			}
		}
	default:
		return nil
	}
	v.exp = e
	return v.decodeExpanded()
}

// decodeExpanded decodes every part with the expanded view's codec, in a Cmd.
func (v *Model) decodeExpanded() tea.Cmd {
	e := v.exp
	e.gen, e.pending = v.c.NextGen(), true
	v.renderExpanded()
	gen, choice, opt := e.gen, e.choice, v.c.Decode
	parts := append([]expandPart(nil), e.parts...)
	return func() tea.Msg {
		ctx := context.Background()
		for i := range parts {
			parts[i].res = decode.Decode(ctx, []byte(parts[i].raw), choice, opt)
		}
		return ExpandedMsg{gen: gen, parts: parts}
	}
}

// OnExpanded shows a finished decode of the expanded member.
func (v *Model) OnExpanded(msg ExpandedMsg) {
	if v.exp == nil || msg.gen != v.exp.gen {
		return
	}
	v.exp.parts, v.exp.pending = msg.parts, false
	v.renderExpanded()
}

func (v *Model) renderExpanded() {
	e, s := v.exp, v.c.Styles
	e.lines = e.lines[:0]
	for i, p := range e.parts {
		if i > 0 {
			e.lines = append(e.lines, "")
		}
		badge := "decoding…"
		if !e.pending {
			badge = p.res.Chain()
		}
		if e.view != ModeAuto {
			badge = modeNames[e.view]
		}
		e.lines = append(e.lines, s.JSONKey.Render(common.Printable(p.label))+"  "+s.Dim.Render(common.Printable(badge)+" · "+common.Bytesize(int64(len(p.raw)))))
		switch {
		case e.view != ModeAuto:
			e.lines = append(e.lines, renderString(p.raw, e.view, 0, s)...)
		case e.pending:
			e.lines = append(e.lines, renderString(p.raw, GuessMode(p.raw, true), 0, s)...)
		default:
			r := p.res
			if r.Err != nil {
				e.lines = append(e.lines, s.Warn.Render(common.Printable(r.Err.Error())+" — shown as hex"))
			}
			switch r.Format {
			case decode.JSON, decode.MsgPack, decode.BSON:
				e.lines = append(e.lines, highlightJSON(r.Text, s)...)
			default:
				for _, l := range strings.Split(r.Text, "\n") {
					e.lines = append(e.lines, common.Printable(l))
				}
			}
		}
	}
	if v.c.Width > 0 {
		e.lines = softWrap(e.lines, v.c.Width)
	}
}

// updateExpanded handles a key while a member is expanded.
func (v *Model) updateExpanded(msg tea.KeyPressMsg) tea.Cmd {
	e, k, h := v.exp, v.c.Keys, v.LinesHeight()
	scroll := func(d int) { e.offset = max(0, min(e.offset+d, len(e.lines)-h)) }
	switch {
	case key.Matches(msg, k.Back):
		v.exp = nil
	case key.Matches(msg, k.Up):
		scroll(-1)
	case key.Matches(msg, k.Down):
		scroll(1)
	case key.Matches(msg, k.PageUp):
		scroll(-h)
	case key.Matches(msg, k.PageDown):
		scroll(h)
	case key.Matches(msg, k.Top):
		e.offset = 0
	case key.Matches(msg, k.Bottom):
		scroll(len(e.lines))
	case key.Matches(msg, k.ViewMode):
		e.view, e.offset = nextExpandedView(e.view), 0
		v.renderExpanded()
	case key.Matches(msg, k.Decoder):
		e.choice, e.view, e.offset = decode.Next(e.choice, v.c.Decode.Users), ModeAuto, 0
		return v.decodeExpanded()
	case key.Matches(msg, k.Copy):
		v.c.Flash("copied key name to the clipboard (OSC 52)", common.FlashInfo)
		return tea.SetClipboard(v.Key)
	}
	return nil
}

// viewExpanded renders the expanded member in the viewer's body.
func (v *Model) viewExpanded(w, h int) []string {
	e, s := v.exp, v.c.Styles
	info := []string{e.title}
	if e.choice != decode.Auto {
		info = append(info, "decoder "+e.choice.Name())
	}
	info = append(info, "view "+modeNames[e.view])
	info = append(info, "esc: back to the rows")
	lines := []string{common.Fit(s.Title.Render("VALUE")+" "+common.Printable(v.Key), w), common.Fit(s.Dim.Render(strings.Join(info, " · ")), w)}
	end := min(len(e.lines), e.offset+max(0, h-2))
	for i := e.offset; i < end; i++ {
		lines = append(lines, common.Fit(e.lines[i], w))
	}
	return lines
}

func (v *Model) expandedHelp() common.HelpKeys {
	k := v.c.Keys
	return common.HelpKeys{Short: []key.Binding{relabel(k.Back, "rows"), k.Up, k.Down, relabel(k.ViewMode, "auto/text/json/hex"), k.Decoder, k.Help, k.Quit}}
}

// nextExpandedView cycles auto (decoded) → text → json → hex → auto.
func nextExpandedView(m stringMode) stringMode {
	switch m {
	case ModeAuto:
		return ModeText
	case ModeText:
		return ModeJSON
	case ModeJSON:
		return ModeHex
	}
	return ModeAuto
}
