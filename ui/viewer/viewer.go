package viewer

import (
	"github.com/amr-tui/amr-tui/decode"
	"github.com/amr-tui/amr-tui/ui/common"

	"bytes"
	"context"
	"encoding/json"
	"slices"
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
	ModeText stringMode = iota
	ModeJSON
	ModeHex
	// ModeAuto shows the value decoded (decoded.go) when package decode recognises it, else
	// as GuessMode would.
	ModeAuto
)

var modeNames = [...]string{"text", "json", "hex", "auto"}

// Model shows one key's value, a bounded page at a time: it asks for the size first
// (STRLEN, HLEN, LLEN…) and then reads one window or cursor page; it never reads a whole
// collection.
type Model struct {
	c *common.Common

	Key    string
	meta   common.KeyMeta
	hasMet bool
	// wasListed: the key was seen (in the list, or by an earlier read): if it is gone now, it
	// "no longer exists" rather than "does not exist".
	wasListed bool
	gen       uint64

	Loading bool
	Err     error
	Size    int64
	At      pagePos
	back    []pagePos // positions of earlier pages, for "previous page"
	Page    valuePage
	mode    stringMode

	lines  []string // rendered lines of the current page (styled)
	offset int

	// Member editing (members.go): selected row, the line being typed, a pending confirmation.
	Sel       int
	reloading bool // keep the selection across a re-read of the same page
	op        memberOp
	pending   string
	editing   []string // the row whose value or score is being edited, as it was read
	replace   bool     // the user agreed to replace the existing field or member in pending
	Input     *common.LineInput
	Confirm   *common.ConfirmState

	dec decodeState  // decoded view (decoded.go)
	exp *expandState // an expanded member (expand.go); nil when the rows show
}

// MetaMsg is TYPE/PTTL/MEMORY USAGE for the opened key.
type MetaMsg struct {
	gen  uint64
	meta common.KeyMeta
	err  error
}

// ValueMsg is one page of the opened key.
type ValueMsg struct {
	gen  uint64
	size int64
	page valuePage
	err  error
	gone bool            // the key no longer exists
	meta *common.KeyMeta // re-read with the page (Reload)
}

// New returns an empty value viewer.
func New(c *common.Common) *Model { return &Model{c: c} }

// Open shows key; without its type it asks for the metadata first.
func (v *Model) Open(k string, meta common.KeyMeta, has bool) tea.Cmd {
	*v = Model{c: v.c, Key: k, meta: meta, hasMet: has, wasListed: has, gen: v.c.NextGen(), Loading: true}
	if !has {
		gen, st := v.gen, v.c.Store
		return v.c.IO(func(ctx context.Context) tea.Msg {
			ms, err := st.Meta(ctx, []string{k})
			if err == nil && len(ms) == 0 {
				err = errNoMeta
			}
			var m common.KeyMeta
			if err == nil {
				m = ms[0]
			}
			return MetaMsg{gen: gen, meta: m, err: err}
		})
	}
	return v.Load(pagePos{})
}

const errNoMeta = common.ConstErr("no metadata returned")

// OnMeta applies the type and size of the opened key and reads its first page.
func (v *Model) OnMeta(msg MetaMsg) tea.Cmd {
	if msg.gen != v.gen {
		return nil
	}
	if msg.err != nil {
		v.Loading, v.Err = false, msg.err
		return nil
	}
	v.meta, v.hasMet = msg.meta, true
	if msg.meta.Type == common.TypeNone {
		v.Loading = false
		v.Render()
		k := v.Key
		return func() tea.Msg { return common.KeyGoneMsg{Key: k} }
	}
	return v.Load(pagePos{})
}

// keyGone tells an empty string (it exists, STRLEN 0) from a key that is gone (STRLEN, HLEN…
// also answer 0 for a missing key): an empty hash, list, set or stream does not exist in Redis.
func keyGone(ctx context.Context, st common.Store, k string) bool {
	ms, err := st.Meta(ctx, []string{k})
	return err == nil && len(ms) == 1 && ms[0].Type == common.TypeNone
}

// Reload re-reads what the viewer shows after a write (or a refused one): the type, TTL and
// MEMORY in the header as well as the size and the page, keeping the page and the selection.
// The list's MEM column for the key is refreshed too (common.KeyChangedMsg).
func (v *Model) Reload() tea.Cmd {
	v.reloading = true
	k := v.Key
	return common.Batch(v.load(v.At, true), func() tea.Msg { return common.KeyChangedMsg{Key: k} })
}

// Load reads the size and the page at pos.
func (v *Model) Load(at pagePos) tea.Cmd { return v.load(at, false) }

func (v *Model) load(at pagePos, withMeta bool) tea.Cmd {
	kind, ok := valueKinds[v.meta.Type]
	if !ok {
		v.Loading = false
		v.Render()
		return nil
	}
	v.Loading, v.At = true, at
	gen, st, k := v.c.NextGen(), v.c.Store, v.Key
	v.gen = gen
	return v.c.IO(func(ctx context.Context) tea.Msg {
		var meta *common.KeyMeta
		if withMeta {
			ms, err := st.Meta(ctx, []string{k})
			if err == nil && len(ms) == 1 {
				if ms[0].Type == common.TypeNone {
					return ValueMsg{gen: gen, gone: true}
				}
				meta = &ms[0]
			}
		}
		size, err := kind.size(ctx, st, k)
		if err != nil {
			return ValueMsg{gen: gen, err: err}
		}
		if size == 0 && keyGone(ctx, st, k) {
			return ValueMsg{gen: gen, gone: true}
		}
		p, err := kind.page(ctx, st, k, at, size)
		return ValueMsg{gen: gen, size: size, page: p, meta: meta, err: err}
	})
}

// OnValue stores a page of the value, unless it answers an older request, and starts decoding
// it when that may show more (decoded.go).
func (v *Model) OnValue(msg ValueMsg) tea.Cmd {
	if msg.gen != v.gen {
		return nil
	}
	v.Loading, v.Err = false, msg.err
	if msg.err != nil {
		return nil
	}
	if msg.gone {
		// Deleted or expired after the list read its type: never an empty value e can edit.
		v.meta, v.hasMet, v.Size, v.Page = common.KeyMeta{Type: common.TypeNone, TTL: -2, Memory: -1}, true, 0, valuePage{}
		v.wasListed = true
		v.Render()
		k := v.Key
		return func() tea.Msg { return common.KeyGoneMsg{Key: k} }
	}
	first := v.Page.raw == "" && v.Page.Rows == nil
	v.Size, v.Page = msg.size, msg.page
	if msg.meta != nil && msg.meta.Type == v.meta.Type {
		v.meta = *msg.meta
	}
	if !v.reloading {
		v.offset, v.Sel = 0, 0
	}
	v.reloading = false
	v.Sel = max(0, min(v.Sel, len(v.Page.Rows)-1))
	if msg.page.at != nil {
		v.At = *msg.page.at
	}
	if v.meta.Type == common.TypeString && first && len(v.back) == 0 {
		v.mode = GuessMode(msg.page.raw, !msg.page.more && v.At.index == 0)
	}
	if v.meta.Type == common.TypeJSON && first {
		v.mode = ModeJSON
	}
	v.Render()
	if msg.page.hasSel {
		v.selectRow(msg.page.sel, v.LinesHeight())
	}
	if first && len(v.back) == 0 || v.dec.res != nil || v.meta.Type == common.TypeHash && !v.Page.more {
		return v.startDecode()
	}
	return nil
}

// GuessMode picks hex for binary data, JSON for a complete valid JSON document, else text.
func GuessMode(s string, complete bool) stringMode {
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return ModeHex
	}
	t := strings.TrimSpace(s)
	if complete && len(t) > 1 && (t[0] == '{' || t[0] == '[') && json.Valid([]byte(t)) {
		return ModeJSON
	}
	return ModeText
}

// Render turns the page into lines once; view only slices them.
func (v *Model) Render() {
	s := v.c.Styles
	v.lines = v.lines[:0]
	if v.hasMet && v.meta.Type == common.TypeNone {
		text := "this key does not exist"
		if v.wasListed {
			text = "this key no longer exists (deleted or expired)"
		}
		v.lines = append(v.lines, s.Warn.Render(text))
		return
	}
	if _, ok := valueKinds[v.meta.Type]; !ok {
		v.lines = append(v.lines, s.Dim.Render("no viewer for type "+common.Printable(v.meta.Type)+" yet; the metadata above is all that is shown"))
		return
	}
	if v.showDecoded() {
		v.lines = v.renderDecoded()
		if v.dec.res.Format != decode.Hex && v.c.Width > 0 {
			v.lines = softWrap(v.lines, v.c.Width)
		}
		return
	}
	if v.meta.Type == common.TypeString || v.meta.Type == common.TypeJSON {
		mode := v.mode
		if mode == ModeAuto {
			mode = GuessMode(v.Page.raw, !v.Page.more && v.At.index == 0)
		}
		v.lines = renderString(v.Page.raw, mode, v.At.index, s)
		if mode == ModeText && v.c.Width > 0 {
			v.lines = softWrap(v.lines, v.c.Width)
		}
		return
	}
	kind := valueKinds[v.meta.Type]
	rows := v.Page.Rows
	if v.meta.Type == common.TypeStream {
		// The ID stays the row's key (XDEL, expand); only the view adds its time.
		rows = make([][]string, len(v.Page.Rows))
		for i, r := range v.Page.Rows {
			rows[i] = []string{common.StreamIDTime(r[0]), r[1]}
		}
	}
	v.lines = renderRows(kind.cols, rows, v.c.Width, s)
}

func renderString(raw string, mode stringMode, base int64, s *common.Styles) []string {
	switch mode {
	case ModeHex:
		return hexDump([]byte(raw), base)
	case ModeJSON:
		var buf bytes.Buffer
		if err := json.Indent(&buf, []byte(strings.TrimSpace(raw)), "", "  "); err == nil {
			return highlightJSON(buf.String(), s)
		}
		lines := []string{s.Warn.Render("not a complete JSON document (or truncated): shown as text")}
		return append(lines, renderString(raw, ModeText, base, s)...)
	}
	parts := strings.Split(raw, "\n")
	for i, p := range parts {
		parts[i] = common.Printable(p)
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
func highlightJSON(src string, s *common.Styles) []string {
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
				tok := common.Printable(line[i:j])
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
func renderRows(cols []string, rows [][]string, w int, s *common.Styles) []string {
	if len(cols) == 1 {
		out := []string{s.Dim.Render(cols[0])}
		for _, r := range rows {
			out = append(out, common.Printable(r[0]))
		}
		return out
	}
	first := ansi.StringWidth(cols[0])
	for _, r := range rows {
		first = max(first, ansi.StringWidth(common.Printable(r[0])))
	}
	limit := max(8, w/3)
	if strings.Contains(cols[0], " · ") {
		limit = max(limit, min(37, w/2)) // a stream ID with its time, whole on any usual width
	}
	first = min(first, limit)
	out := []string{s.Dim.Render(common.Fit(cols[0], first) + "  " + cols[1])}
	for _, r := range rows {
		out = append(out, s.JSONKey.Render(common.Fit(common.Printable(r[0]), first))+"  "+common.Printable(r[1]))
	}
	return out
}

// Update handles a key press while the viewer has focus.
func (v *Model) Update(msg tea.KeyPressMsg) tea.Cmd {
	k, h := v.c.Keys, v.LinesHeight()
	if v.Input != nil || v.Confirm != nil {
		return v.updateEditing(msg)
	}
	if v.exp != nil {
		return v.updateExpanded(msg)
	}
	if v.collection() && len(v.Page.Rows) > 0 && !v.showDecoded() {
		switch {
		case key.Matches(msg, k.Up):
			v.selectRow(v.Sel-1, h)
			return nil
		case key.Matches(msg, k.Down):
			v.selectRow(v.Sel+1, h)
			return nil
		case key.Matches(msg, k.PageUp):
			v.selectRow(v.Sel-h, h)
			return nil
		case key.Matches(msg, k.PageDown):
			v.selectRow(v.Sel+h, h)
			return nil
		case key.Matches(msg, k.Top):
			v.selectRow(0, h)
			return nil
		case key.Matches(msg, k.Bottom):
			return v.bottom(h)
		case key.Matches(msg, k.Edit):
			return v.editMember()
		case key.Matches(msg, k.Delete):
			return v.deleteMember()
		case key.Matches(msg, k.Open):
			return v.expand()
		}
	}
	if v.collection() && key.Matches(msg, k.GoTo) {
		return v.startGoto()
	}
	if v.collection() && key.Matches(msg, k.Add) {
		return v.addMember()
	}
	if v.meta.Type == common.TypeList && key.Matches(msg, memberPrepend) {
		return v.prependMember()
	}
	switch {
	case key.Matches(msg, k.Up):
		v.Scroll(-1, h)
	case key.Matches(msg, k.Down):
		v.Scroll(1, h)
	case key.Matches(msg, k.PageUp):
		v.Scroll(-h, h)
	case key.Matches(msg, k.PageDown):
		v.Scroll(h, h)
	case key.Matches(msg, k.Top):
		v.offset = 0
	case key.Matches(msg, k.Bottom):
		v.Scroll(len(v.lines), h)
	case key.Matches(msg, k.ViewMode):
		switch {
		case v.meta.Type == common.TypeString || v.meta.Type == common.TypeJSON:
			v.mode = (v.mode + 1) % stringMode(len(modeNames))
			if v.mode == ModeAuto && !v.recognised() {
				v.mode = ModeText // auto would show what text/json/hex already do
			}
			v.Render()
			v.offset = 0
		case v.dec.entry != nil: // a .NET cache entry: the entry or its raw fields
			if v.mode == ModeAuto {
				v.mode = ModeText
			} else {
				v.mode = ModeAuto
			}
			v.Render()
			v.offset = 0
		}
	case key.Matches(msg, k.Decoder):
		return v.pickCodec()
	case key.Matches(msg, k.NextPage):
		if v.Page.more && !v.Loading {
			v.back = append(v.back, v.At)
			return v.Load(v.Page.next)
		}
	case key.Matches(msg, k.PrevPage):
		if n := len(v.back); n > 0 && !v.Loading {
			at := v.back[n-1]
			v.back = v.back[:n-1]
			return v.Load(at)
		}
	case key.Matches(msg, k.Edit):
		if v.showDecoded() {
			return v.startDecodedEdit()
		}
		return v.startEdit()
	case key.Matches(msg, k.Copy):
		v.c.Flash("copied key name to the clipboard (OSC 52)", common.FlashInfo)
		return tea.SetClipboard(v.Key)
	}
	return nil
}

// Click selects the member row at body line y (below the two title lines and the column
// titles).
func (v *Model) Click(y int) {
	if !v.collection() || v.Input != nil || v.Confirm != nil {
		return
	}
	row := v.offset + y - 2 - 1
	if y < 2 || row < 0 || row >= len(v.Page.Rows) {
		return
	}
	v.Sel = row
}

// selectRow moves the member selection; row i is on line i+1 (line 0 holds the titles).
func (v *Model) selectRow(i, h int) {
	v.Sel = max(0, min(i, len(v.Page.Rows)-1))
	line := v.Sel + 1
	if line < v.offset+1 {
		v.offset = max(0, line-1)
	}
	if line >= v.offset+h {
		v.offset = line - h + 1
	}
}

// Scroll moves the view by d lines in a body of height h (mouse wheel).
func (v *Model) Scroll(d, h int) {
	v.offset = max(0, min(v.offset+d, len(v.lines)-h))
}

// LinesHeight is the body height minus the viewer's two title lines.
func (v *Model) LinesHeight() int { return max(1, v.c.BodyHeight()-2) }

// Help lists the bindings of the viewer for the value on screen.
func (v *Model) Help() common.HelpKeys {
	k := v.c.Keys
	if v.Input != nil {
		return common.HelpKeys{Short: []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		}}
	}
	if v.Confirm != nil {
		return common.HelpKeys{Short: []key.Binding{k.Confirm, k.Cancel}}
	}
	if v.exp != nil {
		return v.expandedHelp()
	}
	nav := []key.Binding{k.Back, k.Up, k.Down}
	if v.Page.more || len(v.back) > 0 {
		nav = append(nav, k.NextPage, k.PrevPage)
	}
	acts := v.typeActions()
	general := []key.Binding{k.Copy, k.Command, k.Help, k.Quit}
	short := append(append(append([]key.Binding{}, nav...), acts...), general...)
	bottom := k.Bottom
	if v.collection() && (v.Page.more || len(v.back) > 0) {
		bottom = relabel(k.Bottom, "last page (the real end)")
	}
	full := [][]key.Binding{append(nav, k.PageUp, k.PageDown, k.Top, bottom)}
	if _, ok := gotoPrompts[v.meta.Type]; ok && !v.showDecoded() {
		full[0] = append(full[0], k.GoTo)
		if v.Page.more || len(v.back) > 0 {
			short = slices.Insert(short, len(nav), k.GoTo)
		}
	}
	if len(acts) > 0 {
		full = append(full, acts)
	}
	return common.HelpKeys{Short: short, Full: append(full, append(general, k.Profiles))}
}

// typeActions are the keys that act on the value shown, for its type: only those Update
// accepts for it, and no write key on a read-only profile (a footer never offers a key that
// is then refused).
func (v *Model) typeActions() []key.Binding {
	k, ro := v.c.Keys, v.c.ReadOnly
	var acts []key.Binding
	write := func(b ...key.Binding) {
		if !ro {
			acts = append(acts, b...)
		}
	}
	rows := len(v.Page.Rows) > 0 && !v.showDecoded()
	switch v.meta.Type {
	case common.TypeString:
		acts = append(acts, k.ViewMode, k.Decoder)
		write(k.Edit)
	case common.TypeJSON:
		acts = append(acts, k.ViewMode)
	case common.TypeHash:
		if v.dec.entry != nil {
			acts = append(acts, relabel(k.ViewMode, "entry/fields"), k.Decoder)
			write(relabel(k.Edit, "edit payload"))
		}
		if rows {
			acts = append(acts, relabel(k.Open, "expand value"))
			write(relabel(k.Edit, "edit value"), relabel(k.Delete, "delete field"))
		}
		write(relabel(k.Add, "add field"))
	case common.TypeList:
		if rows {
			acts = append(acts, relabel(k.Open, "expand element"))
			write(relabel(k.Edit, "edit element"), relabel(k.Delete, "delete element"))
		}
		write(relabel(k.Add, "append"), memberPrepend)
	case common.TypeSet:
		if rows {
			acts = append(acts, relabel(k.Open, "expand member"))
			write(relabel(k.Delete, "delete member"))
		}
		write(relabel(k.Add, "add member"))
	case common.TypeZSet:
		if rows {
			acts = append(acts, relabel(k.Open, "expand member"))
			write(relabel(k.Edit, "edit score"), relabel(k.Delete, "delete member"))
		}
		write(relabel(k.Add, "add member"))
	case common.TypeStream:
		if rows {
			acts = append(acts, relabel(k.Open, "expand entry"))
			write(relabel(k.Delete, "delete entry"))
		}
		write(relabel(k.Add, "add entry"))
	}
	return acts
}

// relabel is b with another description: in the value screen `a` and `d` act on members, not
// on keys as in the key list.
func relabel(b key.Binding, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
}

// View renders the value in a w×h box.
func (v *Model) View(w, h int) string {
	s := v.c.Styles
	if v.exp != nil {
		lines := v.viewExpanded(w, h)
		for len(lines) < h {
			lines = append(lines, "")
		}
		return strings.Join(lines[:min(len(lines), h)], "\n")
	}
	title := s.Title.Render("VALUE") + " " + common.Printable(v.Key)
	var info []string
	if v.hasMet {
		info = append(info, s.TypeStyle(v.meta.Type).Render(v.meta.Type), "TTL "+common.TTL(v.meta.TTL), "MEMORY "+common.Bytesize(v.meta.Memory))
	}
	if kind, ok := valueKinds[v.meta.Type]; ok && !v.Loading && v.Err == nil {
		if kind.sizeCmd != "" {
			info = append(info, kind.sizeCmd+" "+common.Plural(v.Size, kind.unit))
		}
		info = append(info, v.pageInfo())
		if v.meta.Type == common.TypeString || v.meta.Type == common.TypeJSON || v.dec.entry != nil {
			info = append(info, "view "+modeNames[v.mode])
		}
		if b := v.decodeBadge(); b != "" && (v.mode == ModeAuto || v.dec.pending) {
			info = append(info, common.Printable(b))
		}
	}
	switch {
	case v.Loading:
		info = append(info, "loading…")
	case v.Err != nil:
		info = append(info, s.Danger.Render("error: "+v.Err.Error()))
	}
	second := common.Fit(s.Dim.Render(strings.Join(info, " · ")), w)
	switch {
	case v.Confirm != nil:
		second = s.Warn.Render(common.Fit(v.Confirm.Prompt+"  (y/n)", w))
	case v.Input != nil:
		second = common.Fit(v.Input.View(w), w)
	}
	lines := []string{common.Fit(title, w), second}
	if v.Err != nil && !v.Loading {
		// The whole error, wrapped: the header line above can only show its start.
		for _, l := range softWrap([]string{"error: " + common.Printable(v.Err.Error())}, max(1, w)) {
			lines = append(lines, s.Danger.Render(common.Fit(l, w)))
		}
		for len(lines) < h {
			lines = append(lines, "")
		}
		return strings.Join(lines[:min(len(lines), h)], "\n")
	}
	start, end := v.offset, min(len(v.lines), v.offset+max(0, h-2))
	selLine := -1
	if v.collection() && len(v.Page.Rows) > 0 {
		selLine = v.Sel + 1
	}
	if v.rowsShown() && len(v.lines) > 0 && h > 2 {
		// The column titles (line 0) stay on screen while the rows scroll under them.
		lines = append(lines, common.Fit(v.lines[0], w))
		start = v.offset + 1
	}
	for i := start; i < end; i++ {
		if i == selLine {
			lines = append(lines, s.Selected.Render(common.Fit(common.AnsiStrip(v.lines[i]), w)))
			continue
		}
		lines = append(lines, common.Fit(v.lines[i], w))
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines[:min(len(lines), h)], "\n")
}

// rowsShown reports whether the body is a table of members under column titles (line 0).
func (v *Model) rowsShown() bool {
	_, known := valueKinds[v.meta.Type]
	return known && v.collection() && !v.showDecoded() && !(v.hasMet && v.meta.Type == common.TypeNone)
}

// span shows the items [from, end) of total as people count them, with an inclusive end:
// "0–65,535 of 10,485,760".
func span(from, end, total int64) string {
	if end <= from {
		return "none from " + common.Count(from) + " of " + common.Count(total)
	}
	return common.Count(from) + "–" + common.Count(end-1) + " of " + common.Count(total)
}

// pageInfo says which part of the value is on screen.
func (v *Model) pageInfo() string {
	more := ""
	if v.Page.more {
		more = " · n: next page"
	}
	if len(v.back) > 0 {
		more += " · N: previous"
	}
	switch v.meta.Type {
	case common.TypeJSON:
		return "whole document (JSON.GET)"
	case common.TypeString:
		end := v.At.index + int64(len(v.Page.raw))
		if v.At.index == 0 && !v.Page.more {
			return "whole value" + more
		}
		return "bytes " + span(v.At.index, end, v.Size) + more
	case common.TypeList, common.TypeZSet:
		return "items " + span(v.At.index, v.At.index+int64(len(v.Page.Rows)), v.Size) + more
	}
	if v.At.where != "" {
		return common.Printable(v.At.where) + " (" + common.Count(int64(len(v.Page.Rows))) + " shown)" + more
	}
	return "page " + strconv.Itoa(len(v.back)+1) + " (" + common.Count(int64(len(v.Page.Rows))) + " shown)" + more
}
