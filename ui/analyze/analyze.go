package analyze

import (
	"context"
	"errors"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	engine "github.com/amr-tui/amr-tui/analyze"
	"github.com/amr-tui/amr-tui/ui/common"
)

// Tab is one view of the results.
type Tab int

const (
	TabOverview Tab = iota
	TabNamespaces
	TabKeys
	TabShards
)

var tabNames = []string{"OVERVIEW", "NAMESPACES", "KEYS", "SHARDS"}

// TickEvery is how often a running analysis's progress is read; its partial report is read
// every snapshotEvery ticks.
var TickEvery = 250 * time.Millisecond

const snapshotEvery = 4

// Model is the `:analyze` screen: a memory analysis (package analyze) running in the
// background with a progress bar (p pauses, x cancels), then its results in tabs — an overview
// with bar charts and sparklines, the namespace tree (→ expands, enter lists its keys), the top
// keys (enter opens the value) and, on a cluster, the shards.
type Model struct {
	c     *common.Common
	opts  engine.Options
	gen   uint64
	run   common.AnalysisRun
	ticks int

	Progress engine.Progress
	Report   *engine.Report
	err      error
	starting bool

	Tab      Tab
	cursor   int
	offset   int
	expanded map[string]bool // namespace prefixes expanded in the tree
}

// New returns the screen; nothing runs until Start.
func New(c *common.Common) *Model { return &Model{c: c, expanded: map[string]bool{}} }

// StartedMsg is the reply of Start.
type StartedMsg struct {
	gen uint64
	run common.AnalysisRun
	err error
}

// TickMsg carries a running analysis's progress (and now and then its partial report).
type TickMsg struct {
	gen      uint64
	progress engine.Progress
	report   *engine.Report
	done     bool
	err      error
}

// Running reports whether an analysis is in progress.
func (m *Model) Running() bool { return m.starting || (m.run != nil && !m.Progress.Finished) }

// Start cancels any analysis in progress and starts a new one with o.
func (m *Model) Start(o engine.Options) tea.Cmd {
	m.Stop()
	an, ok := m.c.Store.(common.Analyzer)
	if !ok {
		m.err = common.ConstErr("this connection cannot run an analysis")
		return nil
	}
	if err := o.Validate(); err != nil {
		m.err = err
		return nil
	}
	m.opts, m.gen, m.err, m.Report, m.Progress = o, m.c.NextGen(), nil, nil, engine.Progress{}
	m.starting, m.cursor, m.offset, m.ticks = true, 0, 0, 0
	m.expanded = map[string]bool{}
	gen := m.gen
	return m.c.IO(func(ctx context.Context) tea.Msg {
		run, err := an.StartAnalysis(ctx, o)
		return StartedMsg{gen: gen, run: run, err: err}
	})
}

// Stop cancels the analysis in progress, if any (leaving the store, or a new one).
func (m *Model) Stop() {
	if m.run != nil {
		m.run.Cancel()
	}
	m.run, m.starting = nil, false
	m.gen = m.c.NextGen()
}

// OnStarted takes the reply of Start.
func (m *Model) OnStarted(msg StartedMsg) tea.Cmd {
	if msg.gen != m.gen {
		if msg.run != nil {
			msg.run.Cancel() // started for an analysis since replaced
		}
		return nil
	}
	m.starting = false
	if msg.err != nil {
		m.err = msg.err
		return nil
	}
	m.run = msg.run
	return m.tick()
}

func (m *Model) tick() tea.Cmd {
	run, gen := m.run, m.gen
	m.ticks++
	snap := m.ticks%snapshotEvery == 1
	return tea.Tick(TickEvery, func(time.Time) tea.Msg {
		msg := TickMsg{gen: gen, progress: run.Progress()}
		select {
		case <-run.Done():
			msg.done = true
			msg.report, msg.err = run.Result()
			msg.progress = run.Progress()
		default:
			if snap {
				msg.report = run.Snapshot()
			}
		}
		return msg
	})
}

// OnTick takes a progress reading and asks for the next one until the run ends.
func (m *Model) OnTick(msg TickMsg) tea.Cmd {
	if msg.gen != m.gen {
		return nil
	}
	m.Progress = msg.progress
	if msg.report != nil {
		m.SetReport(msg.report)
	}
	if msg.done {
		m.err = msg.err
		switch {
		case msg.err != nil:
			m.c.Flash("analysis stopped: "+msg.err.Error(), common.FlashError)
		case msg.report != nil && msg.report.Cancelled:
			m.c.Flash("analysis cancelled: the results cover the keys examined", common.FlashWarn)
		default:
			m.c.Flash("analysis done", common.FlashInfo)
		}
		return nil
	}
	return m.tick()
}

// SetReport shows r (a partial report while running; tests inject one).
func (m *Model) SetReport(r *engine.Report) {
	m.Report = r
	m.clamp()
}

var (
	keyNextTab  = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "tab"))
	keyPrevTab  = key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous tab"))
	keyTabs     = key.NewBinding(key.WithKeys("1", "2", "3", "4"), key.WithHelp("1-4", "tab"))
	keyPause    = key.NewBinding(key.WithKeys("p", "space"), key.WithHelp("p", "pause/resume"))
	keyCancel   = key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "cancel"))
	keyRerun    = key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "run again"))
	keyFull     = key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "run in full"))
	keyExpand   = key.NewBinding(key.WithKeys("right", "l", "+"), key.WithHelp("→", "expand"))
	keyCollapse = key.NewBinding(key.WithKeys("left", "h", "-"), key.WithHelp("←", "collapse"))
	keyOpen     = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "list keys / open value"))
)

// Help lists the screen's keys.
func (m *Model) Help() common.HelpKeys {
	k := m.c.Keys
	return common.HelpKeys{
		Short: []key.Binding{k.Back, keyNextTab, keyOpen, keyPause, keyCancel, keyRerun, k.Help, k.Quit},
		Full: [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
			{keyNextTab, keyPrevTab, keyTabs, keyExpand, keyCollapse, keyOpen},
			{keyPause, keyCancel, keyRerun, keyFull, k.Back, k.Help, k.Quit}},
	}
}

// Update handles a key press.
func (m *Model) Update(msg tea.KeyPressMsg) tea.Cmd {
	k, page := m.c.Keys, max(1, m.c.BodyHeight()-4)
	tabs := m.tabs()
	pos := 0
	for i, t := range tabs {
		if t == m.Tab {
			pos = i
		}
	}
	switch {
	case key.Matches(msg, keyNextTab):
		m.setTab(tabs[(pos+1)%len(tabs)])
	case key.Matches(msg, keyPrevTab):
		m.setTab(tabs[(pos+len(tabs)-1)%len(tabs)])
	case key.Matches(msg, keyTabs):
		if i := int(msg.String()[0] - '1'); i < len(tabs) {
			m.setTab(tabs[i])
		}
	case key.Matches(msg, keyPause):
		return m.togglePause()
	case key.Matches(msg, keyCancel):
		if m.run != nil && !m.Progress.Finished {
			m.run.Cancel()
			m.c.Flash("cancelling the analysis…", common.FlashInfo)
		}
	case key.Matches(msg, keyRerun):
		return m.Start(m.opts)
	case key.Matches(msg, keyFull):
		o := m.opts
		o.Mode, o.SampleSize = engine.Full, 0
		return m.Start(o)
	case key.Matches(msg, keyOpen):
		return m.open()
	case key.Matches(msg, keyExpand):
		m.expand(true)
	case key.Matches(msg, keyCollapse):
		m.expand(false)
	case key.Matches(msg, k.Up):
		m.move(-1)
	case key.Matches(msg, k.Down):
		m.move(1)
	case key.Matches(msg, k.PageUp):
		m.move(-page)
	case key.Matches(msg, k.PageDown):
		m.move(page)
	case key.Matches(msg, k.Top):
		m.move(-1 << 30)
	case key.Matches(msg, k.Bottom):
		m.move(1 << 30)
	}
	return nil
}

func (m *Model) togglePause() tea.Cmd {
	if m.run == nil || m.Progress.Finished {
		return nil
	}
	if m.Progress.Paused {
		m.run.Resume()
		m.Progress.Paused = false
		m.c.Flash("analysis resumed", common.FlashInfo)
	} else {
		m.run.Pause()
		m.Progress.Paused = true
		m.c.Flash("analysis paused (p resumes, x cancels)", common.FlashInfo)
	}
	return nil
}

func (m *Model) setTab(t Tab) {
	if t != m.Tab {
		m.Tab, m.cursor, m.offset = t, 0, 0
	}
}

func (m *Model) tabs() []Tab {
	t := []Tab{TabOverview, TabNamespaces, TabKeys}
	if m.Report != nil && len(m.Report.Shards) > 1 {
		t = append(t, TabShards)
	}
	return t
}

// open drills down from the row under the cursor: a namespace lists its keys, a key opens.
func (m *Model) open() tea.Cmd {
	r, ok := m.current()
	if !ok {
		return nil
	}
	switch {
	case r.ns != nil && r.ns.Match != "":
		match := r.ns.Match
		return func() tea.Msg { return common.ShowKeysMsg{Pattern: match} }
	case r.key != nil:
		k := r.key.Key
		return func() tea.Msg { return common.OpenKeyMsg{Key: k} }
	}
	return nil
}

func (m *Model) expand(open bool) {
	r, ok := m.current()
	if !ok || r.ns == nil {
		return
	}
	if open && len(r.ns.Children) > 0 {
		m.expanded[r.ns.Prefix] = true
		return
	}
	if !open {
		if m.expanded[r.ns.Prefix] {
			delete(m.expanded, r.ns.Prefix)
			return
		}
		// ← on a child goes to its parent
		rows := m.rows()
		for i := m.cursor - 1; i >= 0; i-- {
			if rows[i].ns != nil && rows[i].depth < r.depth {
				m.cursor = i
				delete(m.expanded, rows[i].ns.Prefix)
				m.clamp()
				return
			}
		}
	}
}

func (m *Model) move(d int) {
	m.cursor += d
	m.clamp()
}

func (m *Model) clamp() {
	n := len(m.rows())
	m.cursor = max(0, min(m.cursor, n-1))
	h := max(1, m.c.BodyHeight()-4)
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+h {
		m.offset = m.cursor - h + 1
	}
	m.offset = max(0, min(m.offset, max(0, n-h)))
}

// ErrNoAnalyzer is shown when the store cannot run an analysis.
var ErrNoAnalyzer = errors.New("this connection cannot run an analysis")

// Captures reports whether the screen uses a key App would otherwise take as Back: ← and h
// collapse the namespace tree.
func (m *Model) Captures(msg tea.KeyPressMsg) bool {
	return m.Tab == TabNamespaces && key.Matches(msg, keyCollapse)
}

// Scroll moves the view by d rows (the mouse wheel).
func (m *Model) Scroll(d int) { m.move(d) }
