package infopanel

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Tab is one tab of the server panel.
type Tab int

// The tabs, in order; SHARDS is offered only by stores that read every shard.
const (
	TabInfo Tab = iota
	TabClients
	TabSlowlog
	TabShards
)

var infoTabNames = []string{"INFO", "CLIENTS", "SLOWLOG", "SHARDS"}

// How often the visible tab is re-read, and how much of the slow log one read asks for.
var RefreshEvery = 2 * time.Second

const slowlogCount = 128

// Model is the `:info` server panel: INFO by section, CLIENT LIST and SLOWLOG GET as
// tables, and per-shard figures when the store can report them. The visible tab is re-read
// every RefreshEvery while the panel is shown (p pauses); a tab the identity may not read
// says so without affecting the others.
type Model struct {
	c       *common.Common
	Tab     Tab
	gen     uint64
	Loading bool
	err     error
	lines   []string // INFO tab: rendered lines
	table   *infoTable
	offset  int
	at      time.Time // when the shown data was read

	sections []string // INFO section names learned from INFO all, lower case
	section  string   // "" = all

	paused bool // p: no automatic refresh

	nodes    []common.Node // a cluster's primaries, learned with each read; nil standalone
	pickSlot int           // the picked node's first slot, or allNodes
}

// New returns the server panel; it reads nothing until it is shown.
func New(c *common.Common) *Model { return &Model{c: c, pickSlot: allNodes} }

// infoTable is a tab's rows; columns are sized when rendered.
type infoTable struct {
	cols  []infoCol
	rows  [][]string
	empty string
}

type infoCol struct {
	title string
	width int // 0: takes the rest
	right bool
}

// Msg is the reply of one tab's read; it is dropped unless its gen is still awaited.
type Msg struct {
	gen      uint64
	tab      Tab
	text     string // INFO
	sections []string
	table    *infoTable
	err      error

	nodes     []common.Node // a cluster's primaries (NodeReader), nil standalone
	nodeTexts []string      // INFO of every node, side by side ("all nodes")
	nodeErrs  []error
}

// tabs lists the tabs this store offers.
func (s *Model) tabs() []Tab {
	t := []Tab{TabInfo, TabClients, TabSlowlog}
	if _, ok := s.c.Store.(common.ShardInfoReader); ok {
		t = append(t, TabShards)
	}
	return t
}

// Load reads the current tab now.
func (s *Model) Load() tea.Cmd { return s.fetch() }

// OnTick runs on every tick of App's clock loop (which carries its own id, so a stale loop
// never doubles the rate): while the panel is visible and not paused, the shown tab is read
// again once RefreshEvery has passed since the last answer. Time comes from Common.Now, so
// tests with a fixed clock decide when a refresh happens.
func (s *Model) OnTick(visible bool) tea.Cmd {
	if !visible || s.paused || s.Loading || s.c.Now().Sub(s.at) < RefreshEvery {
		return nil
	}
	return s.fetch()
}

// fetch starts the read of the current tab.
func (s *Model) fetch() tea.Cmd {
	st := s.c.Store
	tab, section := s.Tab, s.section
	var do func(ctx context.Context) Msg
	switch tab {
	case TabInfo:
		ir, ok := st.(common.InfoReader)
		if !ok {
			s.Loading, s.err, s.lines, s.table = false, common.ConstErr("this connection cannot run INFO"), nil, nil
			return nil
		}
		do = func(ctx context.Context) Msg {
			if section == "" {
				section = "all"
			}
			text, err := ir.Info(ctx, section)
			if err != nil && section == "all" {
				// Some servers refuse INFO all but answer plain INFO: show what is allowed.
				if t, err2 := ir.Info(ctx, "default"); err2 == nil {
					text, err = t, nil
				}
			}
			m := Msg{text: text, err: err}
			if err == nil && section == "all" {
				m.sections = infoSections(text)
			}
			return m
		}
	case TabClients, TabSlowlog:
		sr, ok := st.(common.ServerReader)
		if !ok {
			s.Loading, s.err, s.lines, s.table = false, common.ConstErr("this connection cannot list clients or read the slow log"), nil, nil
			return nil
		}
		if tab == TabClients {
			do = func(ctx context.Context) Msg {
				text, err := sr.ClientList(ctx)
				return Msg{table: clientTable(text), err: err}
			}
		} else {
			do = func(ctx context.Context) Msg {
				es, err := sr.SlowLog(ctx, slowlogCount)
				return Msg{table: slowlogTable(es), err: err}
			}
		}
	case TabShards:
		sr, ok := st.(common.ShardInfoReader)
		if !ok {
			return nil
		}
		do = func(ctx context.Context) Msg {
			shards, err := sr.ShardInfo(ctx, "all")
			return Msg{table: shardTable(shards), err: err}
		}
	}
	if nr, ok := st.(common.NodeReader); ok && tab != TabShards {
		plain, pick := do, s.pickSlot
		do = func(ctx context.Context) Msg {
			nodes, err := nr.Nodes(ctx)
			switch {
			case err != nil: // a cluster whose topology cannot be read: say so, not one node's reply
				return Msg{err: err}
			case len(nodes) == 0: // standalone
				return plain(ctx)
			}
			m := readNodes(ctx, nr, nodes, tab, section, pick)
			m.nodes = nodes
			return m
		}
	}
	s.gen = s.c.NextGen()
	s.Loading = true
	gen := s.gen
	return s.c.IO(func(ctx context.Context) tea.Msg {
		m := do(ctx)
		m.gen, m.tab = gen, tab
		return m
	})
}

// OnInfo stores a tab's reply, unless it answers an older request.
func (s *Model) OnInfo(msg Msg) {
	if msg.gen != s.gen || msg.tab != s.Tab {
		return
	}
	s.Loading, s.err = false, msg.err
	s.at = s.c.Now()
	if msg.err != nil {
		s.lines, s.table = nil, nil
		return
	}
	if len(msg.sections) > 0 {
		s.sections = msg.sections
	}
	if msg.nodes != nil {
		s.nodes = msg.nodes
		if s.pickIndex() == 0 {
			s.pickSlot = allNodes
		}
	}
	if msg.nodeTexts != nil {
		s.table = nil
		s.lines = sideBySide(s.c.Styles, s.c.Width, s.nodes, msg.nodeTexts, msg.nodeErrs)
		s.offset = min(s.offset, max(0, len(s.lines)-1))
		return
	}
	if msg.table != nil {
		s.lines, s.table = nil, msg.table
		s.offset = min(s.offset, max(0, len(s.table.rows)-1))
		return
	}
	s.table = nil
	st := s.c.Styles
	s.lines = s.lines[:0]
	for _, l := range strings.Split(strings.ReplaceAll(msg.text, "\r\n", "\n"), "\n") {
		switch {
		case l == "":
			continue
		case strings.HasPrefix(l, "# "):
			if len(s.lines) > 0 {
				s.lines = append(s.lines, "")
			}
			s.lines = append(s.lines, st.Title.Render(common.Printable(l[2:])))
		default:
			k, v, _ := strings.Cut(l, ":")
			s.lines = append(s.lines, "  "+st.Dim.Render(common.Fit(common.Printable(k), 30))+" "+common.Printable(v))
		}
	}
	s.offset = min(s.offset, max(0, len(s.lines)-1))
}

// rowCount is the number of scrollable rows of the current tab.
func (s *Model) rowCount() int {
	if s.table != nil {
		return len(s.table.rows)
	}
	return len(s.lines)
}

// Scroll moves the window by d rows (mouse wheel, keys).
func (s *Model) Scroll(d int) {
	h := max(1, s.c.BodyHeight()-3)
	s.offset = max(0, min(s.offset+d, s.rowCount()-h))
}

// switchTab shows another tab and reads it at once.
func (s *Model) switchTab(t Tab) tea.Cmd {
	if t == s.Tab && !s.Loading {
		return s.fetch()
	}
	s.Tab, s.offset, s.err, s.lines, s.table = t, 0, nil, nil, nil
	return s.fetch()
}

// pickSection moves the INFO section picker by d (all, then each section INFO all listed).
func (s *Model) pickSection(d int) tea.Cmd {
	if s.Tab != TabInfo || len(s.sections) == 0 {
		return nil
	}
	names := append([]string{""}, s.sections...)
	i := 0
	for j, n := range names {
		if n == s.section {
			i = j
		}
	}
	i = (i + d + len(names)) % len(names)
	s.section, s.offset = names[i], 0
	return s.fetch()
}

var (
	infoNextTab = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "tab"))
	infoPrevTab = key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous tab"))
	infoTabKeys = key.NewBinding(key.WithKeys("1", "2", "3", "4"), key.WithHelp("1-4", "tab"))
	infoNextSec = key.NewBinding(key.WithKeys("]", "n"), key.WithHelp("]", "section"))
	infoPrevSec = key.NewBinding(key.WithKeys("[", "N"), key.WithHelp("[", "previous section"))
	infoPause   = key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pause"))
	infoRefresh = key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "refresh"))
)

// Update handles a key press while the panel has focus.
func (s *Model) Update(msg tea.KeyPressMsg) tea.Cmd {
	k, h := s.c.Keys, max(1, s.c.BodyHeight()-3)
	tabs := s.tabs()
	pos := 0
	for i, t := range tabs {
		if t == s.Tab {
			pos = i
		}
	}
	switch {
	case key.Matches(msg, infoNextTab):
		return s.switchTab(tabs[(pos+1)%len(tabs)])
	case key.Matches(msg, infoPrevTab):
		return s.switchTab(tabs[(pos+len(tabs)-1)%len(tabs)])
	case key.Matches(msg, infoTabKeys):
		if i := int(msg.String()[0] - '1'); i < len(tabs) {
			return s.switchTab(tabs[i])
		}
		return nil
	case key.Matches(msg, infoNextSec):
		return s.pickSection(1)
	case key.Matches(msg, infoPrevSec):
		return s.pickSection(-1)
	case key.Matches(msg, infoPrevNode) && s.nodeTab(s.Tab):
		return s.pickNode(-1)
	case key.Matches(msg, infoNextNode) && s.nodeTab(s.Tab):
		return s.pickNode(1)
	case key.Matches(msg, infoPause):
		s.paused = !s.paused
		if s.paused {
			s.c.Flash("server panel refresh paused (p resumes)", common.FlashInfo)
			return nil
		}
		s.c.Flash("server panel refresh resumed", common.FlashInfo)
		return s.Load()
	case key.Matches(msg, infoRefresh):
		return s.fetch()
	case key.Matches(msg, k.Up):
		s.Scroll(-1)
	case key.Matches(msg, k.Down):
		s.Scroll(1)
	case key.Matches(msg, k.PageUp):
		s.Scroll(-h)
	case key.Matches(msg, k.PageDown):
		s.Scroll(h)
	case key.Matches(msg, k.Top):
		s.Scroll(-s.rowCount())
	case key.Matches(msg, k.Bottom):
		s.Scroll(s.rowCount())
	}
	return nil
}

// Help lists the bindings of the panel.
func (s *Model) Help() common.HelpKeys {
	k := s.c.Keys
	h := common.HelpKeys{
		Short: []key.Binding{k.Back, infoNextTab, infoNextSec, infoPause, infoRefresh, k.Command, k.Help, k.Quit},
		Full: [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
			{infoNextTab, infoPrevTab, infoTabKeys, infoNextSec, infoPrevSec}, {infoPause, infoRefresh, k.Back, k.Command, k.Help, k.Quit}},
	}
	if len(s.nodes) > 0 {
		h.Short = slices.Insert(h.Short, 3, infoNextNode)
		h.Full[1] = append(h.Full[1], infoPrevNode, infoNextNode)
	}
	return h
}

// refusal words a tab's error: "not permitted" when the identity may not run the command
// (an ACL's NOPERM, or a command a managed service leaves unknown or blocked).
func refusal(err error) string {
	msg := err.Error()
	low := strings.ToLower(msg)
	for _, w := range []string{"noperm", "unknown command", "not allowed", "blocked", "disabled", "no permissions"} {
		if strings.Contains(low, w) {
			return "not permitted: " + msg
		}
	}
	return "failed: " + msg
}

// View renders the current tab in a w×h box.
func (s *Model) View(w, h int) string {
	st := s.c.Styles
	var tb strings.Builder
	for i, t := range s.tabs() {
		if i > 0 {
			tb.WriteString(" ")
		}
		label := " " + string(rune('1'+i)) + " " + infoTabNames[t] + " "
		if t == s.Tab {
			tb.WriteString(st.Selected.Render(label))
		} else {
			tb.WriteString(st.Dim.Render(label))
		}
	}
	if s.nodeTab(s.Tab) {
		tb.WriteString("  " + st.Title.Render("‹ "+s.nodeLabel()+" ›") + st.Dim.Render(" ←/→"))
	}
	switch {
	case s.paused:
		tb.WriteString(st.Warn.Render("  paused (p resumes)"))
	case s.Loading && s.at.IsZero():
		tb.WriteString(st.Dim.Render("  loading…"))
	default:
		tb.WriteString(st.Dim.Render("  every " + common.ShortDuration(RefreshEvery)))
	}
	lines := []string{common.Fit(tb.String(), w)}

	var sub string
	switch {
	case s.err != nil:
		var missing common.ConstErr // the store lacks the capability: nothing was asked of the server
		if errors.As(s.err, &missing) {
			sub = st.Warn.Render(s.err.Error())
		} else {
			sub = st.Danger.Render(refusal(s.err))
		}
	case s.Tab == TabInfo:
		sub = st.Dim.Render("section ") + s.sectionPicker()
	case s.table != nil:
		sub = st.Dim.Render(plural(int64(len(s.table.rows)), "row"))
	}
	lines = append(lines, common.Fit(sub, w))
	body := max(0, h-2)
	if s.table != nil && s.err == nil {
		lines = append(lines, s.table.View(st, s.offset, body, w)...)
	} else {
		end := min(len(s.lines), s.offset+body)
		for i := s.offset; i < end; i++ {
			lines = append(lines, common.Fit(s.lines[i], w))
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines[:min(len(lines), h)], "\n")
}

// sectionPicker is "‹ all › server clients memory …" with the chosen one marked.
func (s *Model) sectionPicker() string {
	st := s.c.Styles
	names := append([]string{""}, s.sections...)
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteByte(' ')
		}
		label := n
		if n == "" {
			label = "all"
		}
		if n == s.section {
			b.WriteString(st.Title.Render("[" + common.Printable(label) + "]"))
		} else {
			b.WriteString(st.Dim.Render(common.Printable(label)))
		}
	}
	if len(s.sections) > 0 {
		b.WriteString(st.Dim.Render("  ([ ] pick)"))
	}
	return b.String()
}

// View renders the column titles and the rows [offset, offset+h-1).
func (t *infoTable) View(st *common.Styles, offset, h, w int) []string {
	if h <= 0 {
		return nil
	}
	fixed := 0
	for _, c := range t.cols {
		fixed += c.width + 1
	}
	rest := max(8, w-fixed)
	cell := func(c infoCol, v string) string {
		width := c.width
		if width == 0 {
			width = rest
		}
		if c.right {
			return common.FitRight(v, width)
		}
		return common.Fit(v, width)
	}
	row := func(vals []string) string {
		var b strings.Builder
		for i, c := range t.cols {
			if i > 0 {
				b.WriteByte(' ')
			}
			v := ""
			if i < len(vals) {
				v = common.Printable(vals[i])
			}
			b.WriteString(cell(c, v))
		}
		return b.String()
	}
	titles := make([]string, len(t.cols))
	for i, c := range t.cols {
		titles[i] = c.title
	}
	out := []string{st.Dim.Render(common.Fit(row(titles), w))}
	if len(t.rows) == 0 && h > 1 {
		return append(out, st.Dim.Render(common.Fit(t.empty, w)))
	}
	end := min(len(t.rows), offset+h-1)
	for i := offset; i < end; i++ {
		out = append(out, common.Fit(row(t.rows[i]), w))
	}
	return out
}

// plural is "1 row", "2 rows", with count's thousands separators.
func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return common.Count(n) + " " + noun + "s"
}
