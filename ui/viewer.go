package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// stringMode is how a string value is shown.
type stringMode int

const (
	modeText stringMode = iota
	modeJSON
	modeHex
)

var modeNames = [...]string{"text", "json", "hex"}

// viewer shows one key's value, a bounded page at a time: it asks for the size first
// (STRLEN, HLEN, LLEN…) and then reads one window or cursor page; it never reads a whole
// collection.
type viewer struct {
	c *Common

	key    string
	meta   KeyMeta
	hasMet bool
	gen    uint64

	loading bool
	err     error
	size    int64
	at      pagePos
	back    []pagePos // positions of earlier pages, for "previous page"
	page    valuePage
	mode    stringMode

	lines  []string // rendered lines of the current page (styled)
	offset int

	// Member editing (members.go): selected row, the line being typed, a pending confirmation.
	sel       int
	reloading bool // keep the selection across a re-read of the same page
	op        memberOp
	pending   string
	input     *lineInput
	confirm   *confirmState
}

// viewerMetaMsg is TYPE/PTTL/MEMORY USAGE for the opened key.
type viewerMetaMsg struct {
	gen  uint64
	meta KeyMeta
	err  error
}

// valueMsg is one page of the opened key.
type valueMsg struct {
	gen  uint64
	size int64
	page valuePage
	err  error
}

func newViewer(c *Common) *viewer { return &viewer{c: c} }

// open shows key; without its type it asks for the metadata first.
func (v *viewer) open(k string, meta KeyMeta, has bool) tea.Cmd {
	*v = viewer{c: v.c, key: k, meta: meta, hasMet: has, gen: v.c.nextGen(), loading: true}
	if !has {
		gen, st := v.gen, v.c.Store
		return v.c.io(func(ctx context.Context) tea.Msg {
			ms, err := st.Meta(ctx, []string{k})
			if err == nil && len(ms) == 0 {
				err = errNoMeta
			}
			var m KeyMeta
			if err == nil {
				m = ms[0]
			}
			return viewerMetaMsg{gen: gen, meta: m, err: err}
		})
	}
	return v.load(pagePos{})
}

type constErr string

func (e constErr) Error() string { return string(e) }

const errNoMeta = constErr("no metadata returned")

func (v *viewer) onMeta(msg viewerMetaMsg) tea.Cmd {
	if msg.gen != v.gen {
		return nil
	}
	if msg.err != nil {
		v.loading, v.err = false, msg.err
		return nil
	}
	v.meta, v.hasMet = msg.meta, true
	return v.load(pagePos{})
}

// load reads the size and the page at pos.
func (v *viewer) load(at pagePos) tea.Cmd {
	kind, ok := valueKinds[v.meta.Type]
	if !ok {
		v.loading = false
		v.render()
		return nil
	}
	v.loading, v.at = true, at
	gen, st, k := v.c.nextGen(), v.c.Store, v.key
	v.gen = gen
	return v.c.io(func(ctx context.Context) tea.Msg {
		size, err := kind.size(ctx, st, k)
		if err != nil {
			return valueMsg{gen: gen, err: err}
		}
		p, err := kind.page(ctx, st, k, at, size)
		return valueMsg{gen: gen, size: size, page: p, err: err}
	})
}

func (v *viewer) onValue(msg valueMsg) {
	if msg.gen != v.gen {
		return
	}
	v.loading, v.err = false, msg.err
	if msg.err != nil {
		return
	}
	first := v.page.raw == "" && v.page.rows == nil
	v.size, v.page = msg.size, msg.page
	if !v.reloading {
		v.offset, v.sel = 0, 0
	}
	v.reloading = false
	v.sel = max(0, min(v.sel, len(v.page.rows)-1))
	if v.meta.Type == TypeString && first && len(v.back) == 0 {
		v.mode = guessMode(msg.page.raw, !msg.page.more && v.at.index == 0)
	}
	if v.meta.Type == TypeJSON && first {
		v.mode = modeJSON
	}
	v.render()
}

// guessMode picks hex for binary data, JSON for a complete valid JSON document, else text.
func guessMode(s string, complete bool) stringMode {
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return modeHex
	}
	t := strings.TrimSpace(s)
	if complete && len(t) > 1 && (t[0] == '{' || t[0] == '[') && json.Valid([]byte(t)) {
		return modeJSON
	}
	return modeText
}

// render turns the page into lines once; view only slices them.
func (v *viewer) render() {
	s := v.c.Styles
	v.lines = v.lines[:0]
	if v.hasMet && v.meta.Type == TypeNone {
		v.lines = append(v.lines, s.Warn.Render("this key does not exist (deleted or expired)"))
		return
	}
	if _, ok := valueKinds[v.meta.Type]; !ok {
		v.lines = append(v.lines, s.Dim.Render("no viewer for type "+printable(v.meta.Type)+" yet; the metadata above is all that is shown"))
		return
	}
	if v.meta.Type == TypeString || v.meta.Type == TypeJSON {
		v.lines = renderString(v.page.raw, v.mode, v.at.index, s)
		if v.mode == modeText && v.c.Width > 0 {
			v.lines = softWrap(v.lines, v.c.Width)
		}
		return
	}
	kind := valueKinds[v.meta.Type]
	v.lines = renderRows(kind.cols, v.page.rows, v.c.Width, s)
}

func renderString(raw string, mode stringMode, base int64, s *Styles) []string {
	switch mode {
	case modeHex:
		return hexDump([]byte(raw), base)
	case modeJSON:
		var buf bytes.Buffer
		if err := json.Indent(&buf, []byte(strings.TrimSpace(raw)), "", "  "); err == nil {
			return highlightJSON(buf.String(), s)
		}
		lines := []string{s.Warn.Render("not a complete JSON document (or truncated): shown as text")}
		return append(lines, renderString(raw, modeText, base, s)...)
	}
	parts := strings.Split(raw, "\n")
	for i, p := range parts {
		parts[i] = printable(p)
	}
	return parts
}

// softWrap breaks lines longer than w cells so a long single-line value can be read whole.
func softWrap(lines []string, w int) []string {
	var out []string
	for _, l := range lines {
		if ansi.StringWidth(l) <= w {
			out = append(out, l)
			continue
		}
		out = append(out, strings.Split(ansi.Hardwrap(l, w, true), "\n")...)
	}
	return out
}

// hexDump renders 16 bytes a line: offset, hex, ASCII.
func hexDump(b []byte, base int64) []string {
	var out []string
	for i := 0; i < len(b); i += 16 {
		row := b[i:min(i+16, len(b))]
		var sb strings.Builder
		off := strconv.FormatInt(base+int64(i), 16)
		sb.WriteString(strings.Repeat("0", max(0, 8-len(off))) + off + "  ")
		for j := 0; j < 16; j++ {
			if j < len(row) {
				h := strconv.FormatUint(uint64(row[j]), 16)
				if len(h) == 1 {
					h = "0" + h
				}
				sb.WriteString(h + " ")
			} else {
				sb.WriteString("   ")
			}
			if j == 7 {
				sb.WriteByte(' ')
			}
		}
		sb.WriteString(" |")
		for _, c := range row {
			if c >= 0x20 && c < 0x7f {
				sb.WriteByte(c)
			} else {
				sb.WriteByte('.')
			}
		}
		sb.WriteByte('|')
		out = append(out, sb.String())
	}
	return out
}

// highlightJSON colours indented JSON token by token.
func highlightJSON(src string, s *Styles) []string {
	lines := strings.Split(src, "\n")
	for li, line := range lines {
		var b strings.Builder
		for i := 0; i < len(line); {
			c := line[i]
			switch {
			case c == '"':
				j := i + 1
				for j < len(line) && line[j] != '"' {
					if line[j] == '\\' {
						j++
					}
					j++
				}
				j = min(j+1, len(line))
				tok := printable(line[i:j])
				if strings.HasPrefix(strings.TrimLeft(line[j:], " "), ":") {
					b.WriteString(s.JSONKey.Render(tok))
				} else {
					b.WriteString(s.JSONString.Render(tok))
				}
				i = j
			case c == '-' || (c >= '0' && c <= '9'):
				j := i
				for j < len(line) && strings.IndexByte("+-.eE0123456789", line[j]) >= 0 {
					j++
				}
				b.WriteString(s.JSONNumber.Render(line[i:j]))
				i = j
			case c == 't' || c == 'f' || c == 'n':
				j := i
				for j < len(line) && line[j] >= 'a' && line[j] <= 'z' {
					j++
				}
				b.WriteString(s.JSONLiteral.Render(line[i:j]))
				i = j
			case c == ' ':
				b.WriteByte(c)
				i++
			default:
				b.WriteString(s.JSONPunct.Render(string(c)))
				i++
			}
		}
		lines[li] = b.String()
	}
	return lines
}

// renderRows lays out collection rows in columns; the first column is as wide as its longest
// cell, up to a third of the screen.
func renderRows(cols []string, rows [][]string, w int, s *Styles) []string {
	if len(cols) == 1 {
		out := []string{s.Dim.Render(cols[0])}
		for _, r := range rows {
			out = append(out, printable(r[0]))
		}
		return out
	}
	first := ansi.StringWidth(cols[0])
	for _, r := range rows {
		first = max(first, ansi.StringWidth(printable(r[0])))
	}
	first = min(first, max(8, w/3))
	out := []string{s.Dim.Render(fit(cols[0], first) + "  " + cols[1])}
	for _, r := range rows {
		out = append(out, s.JSONKey.Render(fit(printable(r[0]), first))+"  "+printable(r[1]))
	}
	return out
}

func (v *viewer) update(msg tea.KeyPressMsg) tea.Cmd {
	k, h := v.c.Keys, v.linesHeight()
	if v.input != nil || v.confirm != nil {
		return v.updateEditing(msg)
	}
	if v.collection() && len(v.page.rows) > 0 {
		switch {
		case key.Matches(msg, k.Up):
			v.selectRow(v.sel-1, h)
			return nil
		case key.Matches(msg, k.Down):
			v.selectRow(v.sel+1, h)
			return nil
		case key.Matches(msg, k.PageUp):
			v.selectRow(v.sel-h, h)
			return nil
		case key.Matches(msg, k.PageDown):
			v.selectRow(v.sel+h, h)
			return nil
		case key.Matches(msg, k.Top):
			v.selectRow(0, h)
			return nil
		case key.Matches(msg, k.Bottom):
			v.selectRow(len(v.page.rows)-1, h)
			return nil
		case key.Matches(msg, k.Edit):
			return v.editMember()
		case key.Matches(msg, k.Delete):
			return v.deleteMember()
		}
	}
	if v.collection() && key.Matches(msg, k.Add) {
		return v.addMember()
	}
	if v.meta.Type == TypeList && key.Matches(msg, memberPrepend) {
		return v.prependMember()
	}
	switch {
	case key.Matches(msg, k.Up):
		v.scroll(-1, h)
	case key.Matches(msg, k.Down):
		v.scroll(1, h)
	case key.Matches(msg, k.PageUp):
		v.scroll(-h, h)
	case key.Matches(msg, k.PageDown):
		v.scroll(h, h)
	case key.Matches(msg, k.Top):
		v.offset = 0
	case key.Matches(msg, k.Bottom):
		v.scroll(len(v.lines), h)
	case key.Matches(msg, k.ViewMode):
		if v.meta.Type == TypeString || v.meta.Type == TypeJSON {
			v.mode = (v.mode + 1) % 3
			v.render()
			v.offset = 0
		}
	case key.Matches(msg, k.NextPage):
		if v.page.more && !v.loading {
			v.back = append(v.back, v.at)
			return v.load(v.page.next)
		}
	case key.Matches(msg, k.PrevPage):
		if n := len(v.back); n > 0 && !v.loading {
			at := v.back[n-1]
			v.back = v.back[:n-1]
			return v.load(at)
		}
	case key.Matches(msg, k.Edit):
		return v.startEdit()
	case key.Matches(msg, k.Copy):
		v.c.flash("copied key name to the clipboard (OSC 52)", FlashInfo)
		return tea.SetClipboard(v.key)
	}
	return nil
}

// click selects the member row at body line y (below the two title lines and the column
// titles).
func (v *viewer) click(y int) {
	if !v.collection() || v.input != nil || v.confirm != nil {
		return
	}
	row := v.offset + y - 2 - 1
	if y < 2 || row < 0 || row >= len(v.page.rows) {
		return
	}
	v.sel = row
}

// selectRow moves the member selection; row i is on line i+1 (line 0 holds the titles).
func (v *viewer) selectRow(i, h int) {
	v.sel = max(0, min(i, len(v.page.rows)-1))
	line := v.sel + 1
	if line < v.offset+1 {
		v.offset = max(0, line-1)
	}
	if line >= v.offset+h {
		v.offset = line - h + 1
	}
}

func (v *viewer) scroll(d, h int) {
	v.offset = max(0, min(v.offset+d, len(v.lines)-h))
}

// linesHeight is the body height minus the viewer's two title lines.
func (v *viewer) linesHeight() int { return max(1, v.c.bodyHeight()-2) }

func (v *viewer) help() helpKeys {
	k := v.c.Keys
	if v.input != nil {
		return helpKeys{short: []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		}}
	}
	if v.confirm != nil {
		return helpKeys{short: []key.Binding{k.Confirm, k.Cancel}}
	}
	short := []key.Binding{k.Back, k.Up, k.Down, k.NextPage, k.PrevPage}
	switch {
	case v.meta.Type == TypeStream:
		short = append(short, relabel(k.Add, "add entry"), relabel(k.Delete, "delete entry"))
	case v.collection():
		edit := key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit member"))
		short = append(short, edit, relabel(k.Add, "add member"), relabel(k.Delete, "delete member"))
		if v.meta.Type == TypeList {
			short = append(short, memberPrepend)
		}
	}
	switch v.meta.Type {
	case TypeString:
		short = append(short, k.ViewMode, k.Edit)
	case TypeJSON:
		short = append(short, k.ViewMode)
	}
	short = append(short, k.Copy, k.Command, k.Help, k.Quit)
	return helpKeys{short: short, full: [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.NextPage, k.PrevPage, k.ViewMode, k.Edit, k.Copy, k.Back}, {k.Command, k.Profiles, k.Help, k.Quit}}}
}

// relabel is b with another description: in the value screen `a` and `d` act on members, not
// on keys as in the key list.
func relabel(b key.Binding, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
}

func (v *viewer) view(w, h int) string {
	s := v.c.Styles
	title := s.Title.Render("VALUE") + " " + printable(v.key)
	var info []string
	if v.hasMet {
		info = append(info, s.typeStyle(v.meta.Type).Render(v.meta.Type), "TTL "+ttl(v.meta.TTL), "MEMORY "+bytesize(v.meta.Memory))
	}
	if kind, ok := valueKinds[v.meta.Type]; ok && !v.loading && v.err == nil {
		if kind.sizeCmd != "" {
			info = append(info, kind.sizeCmd+" "+count(v.size)+" "+kind.unit)
		}
		info = append(info, v.pageInfo())
		if v.meta.Type == TypeString || v.meta.Type == TypeJSON {
			info = append(info, "view "+modeNames[v.mode])
		}
	}
	switch {
	case v.loading:
		info = append(info, "loading…")
	case v.err != nil:
		info = append(info, s.Danger.Render("error: "+v.err.Error()))
	}
	second := fit(s.Dim.Render(strings.Join(info, " · ")), w)
	switch {
	case v.confirm != nil:
		second = s.Warn.Render(fit(v.confirm.prompt+"  (y/n)", w))
	case v.input != nil:
		second = fit(v.input.view(w), w)
	}
	lines := []string{fit(title, w), second}
	end := min(len(v.lines), v.offset+max(0, h-2))
	selLine := -1
	if v.collection() && len(v.page.rows) > 0 {
		selLine = v.sel + 1
	}
	for i := v.offset; i < end; i++ {
		if i == selLine {
			lines = append(lines, s.Selected.Render(fit(ansiStrip(v.lines[i]), w)))
			continue
		}
		lines = append(lines, fit(v.lines[i], w))
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines[:min(len(lines), h)], "\n")
}

// pageInfo says which part of the value is on screen.
func (v *viewer) pageInfo() string {
	more := ""
	if v.page.more {
		more = " · n: next page"
	}
	if len(v.back) > 0 {
		more += " · N: previous"
	}
	switch v.meta.Type {
	case TypeJSON:
		return "whole document (JSON.GET)"
	case TypeString:
		end := v.at.index + int64(len(v.page.raw))
		if v.at.index == 0 && !v.page.more {
			return "whole value" + more
		}
		return "bytes " + count(v.at.index) + "–" + count(end) + more
	case TypeList, TypeZSet:
		return "items " + count(v.at.index) + "–" + count(v.at.index+int64(len(v.page.rows))) + more
	}
	return "page " + strconv.Itoa(len(v.back)+1) + " (" + count(int64(len(v.page.rows))) + " shown)" + more
}
